"""Checks every workspace write makes first."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership
from tandem.workspace.policies import is_seated

MAX_TEXT = 20_000


def require_active(partnership: Partnership) -> None:
    if partnership.status != Partnership.Status.ACTIVE:
        raise ValidationError("This partnership has ended; its workspace is read-only.")


def require_member(partnership: Partnership, user: User) -> None:
    if not is_seated(user, partnership):
        raise ValidationError("Only members of this partnership can do that.")


def require_writer(partnership: Partnership, user: User) -> None:
    require_active(partnership)
    require_member(partnership, user)


def clean_text(value: str, *, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "This cannot be empty."})
    if len(value) > limit:
        raise ValidationError({field: f"Keep this under {limit:,} characters."})
    return value
