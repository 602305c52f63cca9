"""Who may reach what in wellbeing: the access_* doors, the one place their role rules live.

Each door fetches one object the person may see or raises 404 (see docs/architecture.md).
"""

from __future__ import annotations

from django.http import Http404

from tandem.accounts.models import User
from tandem.programs.models import Program
from tandem.wellbeing.models import (
    Pulse,
    Reflection,
    SupportResource,
)


def access_own_pulse(user: User, pulse_id: int) -> Pulse:
    try:
        return Pulse.objects.get(pk=pulse_id, user=user)
    except Pulse.DoesNotExist:
        raise Http404 from None


def access_own_reflection(user: User, reflection_id: int) -> Reflection:
    try:
        return Reflection.objects.get(pk=reflection_id, user=user)
    except Reflection.DoesNotExist:
        raise Http404 from None


def access_support_resource(program: Program, resource_id: int) -> SupportResource:
    """A resource of ``program`` (the caller has been checked as its coordinator)."""
    try:
        return SupportResource.objects.get(program=program, pk=resource_id)
    except SupportResource.DoesNotExist:
        raise Http404 from None
