from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.identity import services
from tandem.identity.management.commands.sso_add import split_domains


class Command(BaseCommand):
    help = "Set the email domains a connected institution's sign-in speaks for."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id", required=True, help="The institution's sign-in id.")
        parser.add_argument(
            "--domains",
            action="append",
            default=[],
            required=True,
            help="Email domains, comma-separated (repeatable); they replace the current list.",
        )
        parser.add_argument(
            "--auto-signup-domain",
            action="append",
            default=[],
            help="Create accounts for this domain (one of --domains) without an invitation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            app = services.sso_set_domains(
                provider_id=options["id"],
                domains=split_domains(options["domains"]),
                auto_signup_domains=options["auto_signup_domain"],
            )
        except services.SsoConfigError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{app.name} (id {app.provider_id}):")
        for line in services.sso_setup_facts(app):
            self.stdout.write(f"  {line}")
