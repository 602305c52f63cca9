from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.core.commands import uploaded_text
from tandem.programs.models import Program
from tandem.schedules.parsing import format_errors
from tandem.schedules.services import program_schedule_plan, program_schedule_replace


class Command(BaseCommand):
    help = "Import a program's block-schedule CSV: all rows or none (use --dry-run to check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="CSV with the header email,start,end,kind,label."
        )
        parser.add_argument("--program", required=True, help="Program short name (slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = uploaded_text(path)
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"No program {options['program']!r}.")
        parsed, people = program_schedule_plan(program=program, content=content)
        if parsed.errors:
            for line in format_errors(parsed.errors):
                self.stderr.write(f"{path}: {line}")
            raise CommandError(f"{len(parsed.errors)} problem(s); nothing was imported.")
        persons = len(
            {people[b.person.lower() if "@" in b.person else b.person] for b in parsed.blocks}
        )
        plan_line = f"{len(parsed.blocks)} blocks for {persons} people"
        if options["dry_run"]:
            self.stdout.write(f"Dry run: would import {plan_line}.")
            return
        try:
            program_schedule_replace(program=program, content=content)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {plan_line}."))
