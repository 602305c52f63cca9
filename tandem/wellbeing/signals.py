"""Every new program starts with check-in settings and example support resources; the
workspace's retention purge also removes a partnership's kudos text and shared entries."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from tandem.partnerships.models import Partnership
from tandem.programs.models import Program
from tandem.wellbeing.services import partnership_wellbeing_purge, program_wellbeing_ensure
from tandem.workspace.signals import workspace_purging


@receiver(post_save, sender=Program, dispatch_uid="wellbeing_program_defaults")
def program_defaults(
    sender: type[Program], instance: Program, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        program_wellbeing_ensure(program=instance)


@receiver(workspace_purging, dispatch_uid="wellbeing_partnership_purge")
def partnership_purge(
    sender: type[Partnership], partnership: Partnership, counts: dict[str, int], **kwargs: Any
) -> None:
    counts.update(partnership_wellbeing_purge(partnership=partnership))
