"""Personal data held by the core apps: accounts, programs, partnerships and the audit log.

Each section lists what Tandem stores about the person; other apps register their own
sections (and erasers) the same way from their AppConfig.ready().
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q
from django.utils import timezone

from tandem.accounts.models import ApiToken, User
from tandem.audit.models import AuditEvent
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.privacy.registry import register
from tandem.programs.models import Enrollment, Exclusion, Invitation, Profile, ProgramRole


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def account_data(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_name": user.preferred_name,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "is_operator": user.is_superuser,
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.prefix,
                "scope": token.scope,
                "created_at": _when(token.created_at),
                "expires_at": _when(token.expires_at),
                "last_used_at": _when(token.last_used_at),
                "revoked_at": _when(token.revoked_at),
            }
            for token in ApiToken.objects.filter(user=user)
        ],
        "second_factors": [
            {
                "kind": row.type,
                "created_at": _when(row.created_at),
                "last_used_at": _when(row.last_used_at),
            }
            for row in Authenticator.objects.filter(user=user)
        ],
        "institutional_sign_ins": [
            {"provider": row.provider, "uid": row.uid, "date_joined": _when(row.date_joined)}
            for row in SocialAccount.objects.filter(user=user)
        ],
    }


def account_erase(user: User) -> None:
    # Lockout records are kept by address, not by account.
    attempts = Q(username__iexact=user.email)
    AccessAttempt.objects.filter(attempts).delete()
    AccessLog.objects.filter(attempts).delete()
    AccessFailureLog.objects.filter(attempts).delete()


def programs_data(user: User) -> dict[str, Any]:
    return {
        "profiles": [
            {
                "program": profile.program.slug,
                "stage": profile.stage,
                "specialty": profile.specialty,
                "institution": profile.institution,
                "offers": profile.offers,
                "seeks": profile.seeks,
                "main_thing": profile.main_thing,
                "specialty_preference": profile.specialty_preference,
                "availability": profile.availability,
                "roster_id": profile.roster_id,
                "updated_at": _when(profile.updated_at),
            }
            for profile in Profile.objects.filter(user=user).select_related("program")
        ],
        "enrolments": [
            {
                "program": row.cohort.program.slug,
                "cohort": row.cohort.slug,
                "status": row.status,
                "source": row.source,
                "enrolled_at": _when(row.enrolled_at),
            }
            for row in Enrollment.objects.filter(user=user).select_related("cohort__program")
        ],
        "roles": [
            {"program": row.program.slug, "role": row.role, "since": _when(row.created_at)}
            for row in ProgramRole.objects.filter(user=user).select_related("program")
        ],
        "invitations_received": [
            {
                "program": row.program.slug,
                "role": row.role,
                "created_at": _when(row.created_at),
                "accepted_at": _when(row.accepted_at),
            }
            for row in Invitation.objects.filter(email__iexact=user.email).select_related("program")
        ],
        # Who a person evaluates is recorded for matching; who else recorded it is not shown.
        "matching_exclusions": [
            {"program": row.program.slug, "with_user_id": row.other_id, "reason": row.reason}
            for row in Exclusion.objects.filter(person=user).select_related("program")
        ],
    }


def programs_erase(user: User) -> None:
    Invitation.objects.filter(email__iexact=user.email).delete()


def partnerships_data(user: User) -> list[dict[str, Any]]:
    rows = PartnershipMember.objects.filter(user=user).select_related("partnership__cohort")
    return [
        {
            "partnership_id": row.partnership_id,
            "cohort": row.partnership.cohort.slug,
            "kind": row.partnership.kind,
            "status": row.partnership.status,
            "response": row.response,
            "joined_at": _when(row.joined_at),
            "left_at": _when(row.left_at),
        }
        for row in rows
    ]


def partnerships_erase(user: User) -> None:
    """Keep partners' history whole: the person's places become an anonymous former member.

    An active partnership ends first, through the ordinary no-fault exit (partners are told
    kindly); a proposed one is declined.
    """
    from tandem.partnerships.services import partnership_exit
    from tandem.privacy.services import former_member_placeholder

    memberships = PartnershipMember.objects.filter(user=user).select_related("partnership")
    if not memberships:
        return
    placeholder = former_member_placeholder()
    now = timezone.now()
    for membership in memberships:
        partnership = membership.partnership
        if partnership.status == Partnership.Status.ACTIVE:
            partnership_exit(partnership=partnership, member=user)
        elif partnership.status == Partnership.Status.PROPOSED:
            Partnership.objects.filter(pk=partnership.pk).update(
                status=Partnership.Status.DECLINED, ended_at=now
            )
            PartnershipMember.objects.filter(partnership=partnership).update(is_current=False)
    PartnershipMember.objects.filter(user=user, left_at__isnull=True).update(left_at=now)
    PartnershipMember.objects.filter(user=user).update(user=placeholder, is_current=False)


def audit_data(user: User) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(
        Q(actor=user) | Q(target_type="accounts.user", target_id=str(user.pk))
    )
    return [
        {
            "at": _when(event.at),
            "action": event.action,
            "by_you": event.actor_id == user.pk,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "ip_address": event.ip_address,
        }
        for event in events.order_by("at")
    ]


register("account", personal_data=account_data, erase=account_erase)
register("programs", personal_data=programs_data, erase=programs_erase)
register("partnerships", personal_data=partnerships_data, erase=partnerships_erase)
register("audit_log", personal_data=audit_data)
