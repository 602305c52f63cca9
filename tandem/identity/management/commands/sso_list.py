from __future__ import annotations

from typing import Any

from allauth.socialaccount.models import SocialApp
from django.core.management.base import BaseCommand

from tandem.identity.services import sso_setup_facts


class Command(BaseCommand):
    help = "List the institutions' identity providers and the addresses to give them."

    def handle(self, *args: Any, **options: Any) -> None:
        apps = SocialApp.objects.filter(provider__in=["openid_connect", "saml"]).order_by("name")
        if not apps:
            self.stdout.write("No institutional sign-in is configured.")
        for app in apps:
            self.stdout.write(f"{app.name} ({app.provider}, id {app.provider_id})")
            for line in sso_setup_facts(app):
                self.stdout.write(f"  {line}")
