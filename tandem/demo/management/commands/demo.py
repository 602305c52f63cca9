from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tandem.demo import institution as demo


class Command(BaseCommand):
    help = "Create the database, load the demo institution (once) and serve Tandem locally."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve.")
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the demo data but do not serve."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if demo.demo_exists():
            self.stdout.write("Using the existing demo data.")
            demo.demo_operator_mfa_ensure()
        else:
            self.stdout.write("Loading the demo institution (about 80 participants)…")
            demo.load_demo()
        address = options["addrport"]
        if "TANDEM_BASE_URL" not in os.environ:
            # Links in e-mails and calendar files point where this demo actually serves.
            settings.BASE_URL = f"http://{address}"
        self.stdout.write(
            self.style.SUCCESS(f"\nTandem demo: http://{address}/\n")
            + f"  coordinator: {demo.COORDINATOR_EMAIL} / {demo.DEMO_PASSWORD}\n"
            + f"  participant: {demo.PARTICIPANT_EMAIL} / {demo.DEMO_PASSWORD}\n"
            + f"  researcher:  {demo.RESEARCHER_EMAIL} / {demo.DEMO_PASSWORD}\n"
            + f"  operator:    {demo.OPERATOR_EMAIL} / {demo.DEMO_PASSWORD}\n"
            + "               then an authenticator-app code: add the secret "
            + f"{demo.DEMO_OPERATOR_TOTP_SECRET} to any authenticator app,\n"
            + "               or print the current code with `tandem demo-code`\n"
            + "The demo logins are for local evaluation only.\n"
        )
        if not options["no_serve"]:
            call_command("runserver", address, use_reloader=False)
