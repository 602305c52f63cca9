"""Every new program starts with check-in settings and example support resources."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from tandem.programs.models import Program


@receiver(post_save, sender=Program, dispatch_uid="wellbeing_program_defaults")
def program_defaults(
    sender: type[Program], instance: Program, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        from tandem.wellbeing.services import program_wellbeing_ensure

        program_wellbeing_ensure(program=instance)
