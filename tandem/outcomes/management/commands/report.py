from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.outcomes.models import ReportVersion
from tandem.outcomes.rendering import report_html
from tandem.outcomes.report import evaluation_report, saved_report
from tandem.outcomes.services import report_version_save
from tandem.programs.models import Cohort


class Command(BaseCommand):
    help = "Write a cohort's evaluation report as one HTML file (print it to PDF from a browser)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", required=True, help="Cohort short name (slug).")
        parser.add_argument(
            "--program", help="Program short name (slug); needed when several have the cohort."
        )
        parser.add_argument(
            "--out", type=Path, help="Where to write (default: PROGRAM-COHORT-report.html)."
        )
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, help="Follow-up ends on this date (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--save",
            action="store_true",
            help="Save the report as the cohort's next version, its groups fixed from now on.",
        )
        parser.add_argument(
            "--saved-version", type=int, help="Regenerate saved version N (as it was saved)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cohorts = Cohort.objects.select_related("program").filter(slug=options["cohort"])
        if options["program"]:
            cohorts = cohorts.filter(program__slug=options["program"])
        found = list(cohorts[:2])
        if not found:
            raise CommandError(
                f"No cohort {options['cohort']!r}"
                + (f" in program {options['program']!r}." if options["program"] else ".")
            )
        if len(found) > 1:
            raise CommandError(
                f"Several programs have a cohort {options['cohort']!r}; name one with --program."
            )
        cohort = found[0]
        out: Path = options["out"] or Path(f"{cohort.program.slug}-{cohort.slug}-report.html")
        if options["save"] and options["saved_version"]:
            raise CommandError("Use either --save or --saved-version, not both.")
        if options["save"]:
            saved = report_version_save(cohort=cohort, as_of=options["as_of"])
            html = saved.html
            self.stdout.write(f"Saved version {saved.number} of the report of {cohort}.")
        elif options["saved_version"]:
            version = ReportVersion.objects.filter(
                cohort=cohort, number=options["saved_version"]
            ).first()
            if version is None:
                raise CommandError(f"{cohort} has no saved version {options['saved_version']}.")
            html = report_html(saved_report(version))
        else:
            html = report_html(evaluation_report(cohort, as_of=options["as_of"]))
        try:
            out.write_text(html, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{out}: {error.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote the evaluation report of {cohort} to {out}."))
