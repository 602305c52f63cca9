from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.identity import services


def split_domains(values: list[str]) -> list[str]:
    return [part for value in values for part in value.split(",")]


class Command(BaseCommand):
    help = "Connect an institution's identity provider (OpenID Connect or SAML 2.0)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("protocol", choices=["oidc", "saml"])
        parser.add_argument(
            "--id", required=True, help="Short id, unique per institution (in sign-in URLs)."
        )
        parser.add_argument("--name", required=True, help="Shown on the sign-in button.")
        parser.add_argument("--server-url", help="OIDC: the issuer URL (has .well-known/...).")
        parser.add_argument("--client-id", help="OIDC: the client id Tandem was given.")
        parser.add_argument("--secret", help="OIDC: the client secret.")
        parser.add_argument("--metadata-url", help="SAML: the IdP's metadata URL.")
        parser.add_argument("--entity-id", help="SAML: the IdP's entity id (without metadata).")
        parser.add_argument("--sso-url", help="SAML: the IdP's single sign-on URL.")
        parser.add_argument("--x509cert-file", type=Path, help="SAML: the IdP's certificate.")
        parser.add_argument(
            "--email-attribute", help="SAML: the attribute holding the email address."
        )
        parser.add_argument(
            "--domains",
            action="append",
            default=[],
            required=True,
            help="Email domains this provider speaks for, comma-separated (repeatable). It signs "
            "in and creates accounts only for these exact domains; list subdomains too.",
        )
        parser.add_argument(
            "--auto-signup-domain",
            action="append",
            default=[],
            help="Create accounts for people of this email domain (one of --domains) without an "
            "invitation (repeatable). Without it, sign-up stays by invitation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["protocol"] == "oidc":
                app = services.sso_add_oidc(
                    provider_id=options["id"],
                    name=options["name"],
                    server_url=options["server_url"] or "",
                    client_id=options["client_id"] or "",
                    secret=options["secret"] or "",
                    domains=split_domains(options["domains"]),
                    auto_signup_domains=options["auto_signup_domain"],
                )
            else:
                cert_file = options["x509cert_file"]
                app = services.sso_add_saml(
                    provider_id=options["id"],
                    name=options["name"],
                    metadata_url=options["metadata_url"] or "",
                    entity_id=options["entity_id"] or "",
                    sso_url=options["sso_url"] or "",
                    x509cert=cert_file.read_text() if cert_file else "",
                    email_attribute=options["email_attribute"] or "",
                    domains=split_domains(options["domains"]),
                    auto_signup_domains=options["auto_signup_domain"],
                )
        except services.SsoConfigError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Connected {app.name} ({app.provider}, id {app.provider_id}).")
        for line in services.sso_setup_facts(app):
            self.stdout.write(f"  {line}")
