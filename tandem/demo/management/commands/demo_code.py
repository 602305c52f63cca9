from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.demo import institution as demo


class Command(BaseCommand):
    help = "Print the demo operator's current authenticator-app code (local demo only)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo.demo_operator_code())
