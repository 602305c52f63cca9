from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.core.commands import uploaded_text
from tandem.outcomes.csv_import import (
    format_errors,
    outcome_import_apply,
    outcome_import_preview,
    outcome_plan,
)
from tandem.programs.models import Program


class Command(BaseCommand):
    help = "Import an outcomes CSV into a program: all rows or none (use --dry-run to preview)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Outcomes CSV (UTF-8, header row).")
        parser.add_argument("--program", required=True, help="Program short name (slug).")
        parser.add_argument("--dry-run", action="store_true", help="Show the plan; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = uploaded_text(path)
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"No program {options['program']!r}.")
        plan = outcome_plan(program=program, content=content)
        if plan.errors:
            for line in format_errors(plan.errors):
                self.stderr.write(f"{path}: {line}")
            raise CommandError(f"{len(plan.errors)} problem(s); nothing was imported.")
        summary = (
            f"{plan.count('created')} new, {plan.count('updated')} updated, "
            f"{plan.count('unchanged')} already recorded"
        )
        if options["dry_run"]:
            self.stdout.write(f"Dry run: would import {summary}.")
            return
        outcome_import = outcome_import_preview(
            program=program, uploaded_by=None, filename=path.name, content=content
        )
        try:
            outcome_import_apply(outcome_import=outcome_import, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported: {summary}."))
