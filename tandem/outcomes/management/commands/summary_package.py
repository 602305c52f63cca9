from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.outcomes.pooling import PackageError, summary_package
from tandem.outcomes.report import evaluation_report
from tandem.programs.models import Cohort


class Command(BaseCommand):
    help = "Write a cohort's de-identified evaluation summary package (JSON, aggregates only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", required=True, help="Cohort short name (slug).")
        parser.add_argument("--program", help="Program short name (slug), if needed.")
        parser.add_argument("--site", help="Label of this site (default: the program's name).")
        parser.add_argument("--out", type=Path, help="Where to write (default: stdout).")
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, help="Follow-up ends on this date."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cohorts = Cohort.objects.select_related("program").filter(slug=options["cohort"])
        if options["program"]:
            cohorts = cohorts.filter(program__slug=options["program"])
        found = list(cohorts[:2])
        if len(found) != 1:
            raise CommandError(
                f"No cohort {options['cohort']!r}."
                if not found
                else "Several programs have that cohort; name one with --program."
            )
        cohort = found[0]
        try:
            package = summary_package(
                evaluation_report(cohort, as_of=options["as_of"]),
                site=options["site"] or cohort.program.name,
            )
        except PackageError as error:
            raise CommandError(str(error)) from None
        text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
        if options["out"] is None:
            self.stdout.write(text, ending="")
            return
        try:
            options["out"].write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{options['out']}: {error.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote the summary package to {options['out']}."))
