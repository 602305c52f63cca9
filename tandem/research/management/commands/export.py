from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.programs.models import Cohort
from tandem.research import exports


class Command(BaseCommand):
    help = (
        "Write the de-identified research export of a cohort (consenting people only) as CSV "
        "with a codebook, or as a REDCap data dictionary and records file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", required=True, help="Slug of the cohort.")
        parser.add_argument(
            "--program", help="Slug of the program (needed if the cohort slug is in several)."
        )
        parser.add_argument("--format", choices=exports.FORMATS, default="csv")
        parser.add_argument("--out", type=Path, default=Path("."), help="Directory to write into.")

    def handle(self, *args: Any, **options: Any) -> None:
        cohorts = Cohort.objects.select_related("program").filter(slug=options["cohort"])
        if options["program"]:
            cohorts = cohorts.filter(program__slug=options["program"])
        found = list(cohorts[:2])
        if not found:
            raise CommandError(f"No cohort {options['cohort']!r} (check --program and --cohort).")
        if len(found) > 1:
            raise CommandError(
                f"Several programs have a cohort {options['cohort']!r}: name one with --program."
            )
        cohort = found[0]
        dataset = exports.build_dataset(cohort)
        files = exports.export_files(dataset, options["format"])
        out: Path = options["out"]
        try:
            out.mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (out / name).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write to {out}: {error.strerror}") from None
        audit_record(
            action=AuditEvent.Action.EXPORT,
            target=cohort,
            format=options["format"],
            export="research_deidentified",
            records=len(dataset.records),
            via="cli",
        )
        self.stdout.write(
            f"{len(dataset.records)} records of {cohort.program.slug}/{cohort.slug} written to "
            f"{out}: {', '.join(sorted(files))}"
        )
