"""The MFA policy: a program may require a second factor of its coordinators and researchers.

Participants are never forced; staff of such a program must enrol an authenticator app or a
security key before they reach any page or API endpoint.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from tandem.programs.models import ProgramRole

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def mfa_required_for(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ProgramRole.objects.filter(user=user, program__require_mfa_for_staff=True).exists()


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def mfa_enrolment_missing(user: Any) -> bool:
    """True when ``user`` must enrol a second factor before doing anything else."""
    return mfa_required_for(user) and not has_second_factor(user)
