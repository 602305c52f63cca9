from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve Tandem with gunicorn (production); use `tandem demo` for a local trial."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to listen on.")
        parser.add_argument("--workers", type=int, default=2, help="Worker processes.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            import gunicorn  # noqa: F401
        except ImportError:
            raise CommandError("gunicorn is not installed.") from None
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "tandem.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
