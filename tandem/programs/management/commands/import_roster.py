from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.core.commands import uploaded_text
from tandem.programs.models import Cohort
from tandem.programs.roster import format_errors, roster_apply, roster_plan, roster_preview


class Command(BaseCommand):
    help = (
        "Import a roster CSV into a cohort: all rows or none (use --dry-run to preview). "
        "People not yet in the program are emailed an invitation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Roster CSV (UTF-8, header row).")
        parser.add_argument("--program", required=True, help="Program short name (slug).")
        parser.add_argument("--cohort", required=True, help="Cohort short name (slug).")
        parser.add_argument("--dry-run", action="store_true", help="Show the plan; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = uploaded_text(path)
        cohort = (
            Cohort.objects.select_related("program")
            .filter(program__slug=options["program"], slug=options["cohort"])
            .first()
        )
        if cohort is None:
            raise CommandError(
                f"No cohort {options['cohort']!r} in program {options['program']!r}."
            )
        summary = roster_plan(program=cohort.program, cohort=cohort, content=content).as_summary()
        if summary["errors"]:
            for line in format_errors(summary["errors"]):
                self.stderr.write(f"{path}: {line}")
            raise CommandError(f"{len(summary['errors'])} problem(s); nothing was imported.")
        counts = summary["counts"]
        rest = (
            f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{summary['new_evaluator_lines']} new evaluator lines"
        )
        if options["dry_run"]:
            for row in summary["rows"]:
                result = "will be invited" if row["action"] == "invited" else row["action"]
                changes = f" ({', '.join(row['changes'])})" if row["changes"] else ""
                self.stdout.write(
                    f"line {row['line']}: {row['roster_id']} {row['email']}: {result}{changes}"
                )
            self.stdout.write(
                f"Dry run, nothing changed: {counts['invited']} will be invited, {rest}."
            )
            return
        roster_import = roster_preview(
            program=cohort.program,
            cohort=cohort,
            uploaded_by=None,
            filename=path.name,
            content=content,
        )
        try:
            roster_apply(roster_import=roster_import, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported: {counts['invited']} invited, {rest}."))
