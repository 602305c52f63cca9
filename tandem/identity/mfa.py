"""The MFA policy: operators always need a second factor, and a program may require one of its
coordinators and researchers.

Participants are never forced; operators, and staff of such a program, must enrol an
authenticator app or a security key before they reach any page or API endpoint.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db import transaction

from tandem.core import crypto
from tandem.programs.models import ProgramRole

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
MFA_ENROLMENT_MISSING = (
    "Two-factor authentication is required for your role; set it up under /accounts/2fa/ first."
)


def is_operator(user: Any) -> bool:
    """Operators run the instance: superusers, and anyone else the admin site lets in."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "is_staff", False))


def mfa_required_for(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_operator(user):
        return True
    return ProgramRole.objects.filter(user=user, program__require_mfa_for_staff=True).exists()


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def mfa_enrolment_missing(user: Any) -> bool:
    """True when ``user`` must enrol a second factor before doing anything else."""
    return mfa_required_for(user) and not has_second_factor(user)


# The secrets in an authenticator's data that the MFA adapter encrypts with the field keys.
ENCRYPTED_SECRETS = {Authenticator.Type.TOTP: "secret", Authenticator.Type.RECOVERY_CODES: "seed"}


def mfa_secrets_rotate() -> tuple[int, int]:
    """Re-encrypt authenticator-app secrets and recovery-code seeds under the newest field key;
    returns (rotated, undecryptable). Each row is locked while it is rewritten."""
    rotated = failed = 0
    for kind, key in ENCRYPTED_SECRETS.items():
        for pk in Authenticator.objects.filter(type=kind).values_list("pk", flat=True):
            with transaction.atomic():
                authenticator = Authenticator.objects.select_for_update().get(pk=pk)
                stored = authenticator.data.get(key, "")
                try:
                    if not crypto.is_encrypted(stored):
                        raise crypto.UndecryptableValue
                    authenticator.data[key] = crypto.rotate(stored)
                except crypto.UndecryptableValue:
                    failed += 1
                    continue
                authenticator.save(update_fields=["data"])
                rotated += 1
    return rotated, failed
