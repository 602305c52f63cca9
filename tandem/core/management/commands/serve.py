from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEVELOPMENT_SETTINGS = "tandem.settings.base"


def describe_database(config: dict[str, Any]) -> str:
    """The engine and where the data lives: name, host and port; never the user or password."""
    engine = str(config.get("ENGINE", "")).rsplit(".", 1)[-1]
    name = config.get("NAME") or "(no name)"
    host = config.get("HOST") or ""
    port = config.get("PORT") or ""
    if engine == "sqlite3" or not host:
        return f"{engine} {name}"
    return f"{engine} {name} on {host}{f':{port}' if port else ''}"


class Command(BaseCommand):
    help = (
        "Serve Tandem with gunicorn, with the production settings unless --dev is given; "
        "use `tandem demo` for a local trial."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to listen on.")
        parser.add_argument("--workers", type=int, default=2, help="Worker processes.")
        parser.add_argument(
            "--dev",
            action="store_true",
            help=f"Serve the development settings ({DEVELOPMENT_SETTINGS}, DEBUG on).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        module = settings.SETTINGS_MODULE
        if options["dev"] and module != DEVELOPMENT_SETTINGS:
            raise CommandError(
                f"--dev serves the development settings, but DJANGO_SETTINGS_MODULE names "
                f"{module}: unset it, or drop --dev."
            )
        if not options["dev"] and settings.DEBUG:
            raise CommandError(
                f"{module} has DEBUG on: `tandem serve` serves production settings "
                "(DJANGO_SETTINGS_MODULE=tandem.settings.production); pass --dev to serve the "
                "development settings on this machine."
            )
        try:
            import gunicorn  # noqa: F401
        except ImportError:
            raise CommandError("gunicorn is not installed.") from None
        self.stdout.write(
            f"Settings: {module}{' (development, DEBUG on)' if settings.DEBUG else ''}"
        )
        self.stdout.write(f"Database: {describe_database(settings.DATABASES['default'])}")
        self.stdout.flush()
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
