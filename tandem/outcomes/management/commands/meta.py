from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.outcomes.pooling import ESTIMANDS, PackageError, forest_chart, pool, read_package


class Command(BaseCommand):
    help = (
        "Pool evaluation summary packages from several sites (random effects, DerSimonian–"
        "Laird) and draw a forest plot per estimate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("packages", nargs="+", type=Path, help="Summary package files.")
        parser.add_argument(
            "--forest-dir", type=Path, help="Write one forest plot (SVG) per estimate here."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        packages = []
        for path in options["packages"]:
            try:
                packages.append(read_package(path.read_text(encoding="utf-8"), name=str(path)))
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from None
            except PackageError as error:
                raise CommandError(str(error)) from None
        if len(packages) < 2:
            raise CommandError("Pooling needs packages from at least two sites.")
        if options["forest_dir"]:
            options["forest_dir"].mkdir(parents=True, exist_ok=True)
        for estimand, (label, _) in ESTIMANDS.items():
            pooled = pool(packages, estimand)
            if pooled is None:
                continue
            self.stdout.write(
                f"{label}: {pooled.shown(pooled.estimate):.3f} (95% CI "
                f"{pooled.shown(pooled.lower):.3f} to {pooled.shown(pooled.upper):.3f}), "
                f"{len(pooled.sites)} sites, τ² = {pooled.tau2:.4f}, I² = {100 * pooled.i2:.0f}%"
            )
            if options["forest_dir"]:
                out = options["forest_dir"] / f"forest-{estimand}.svg"
                out.write_bytes(forest_chart(pooled).svg)
