"""Reads for accounts."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from tandem.accounts.models import ApiToken, User


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def email_confirmed(user: User) -> bool:
    """Whether ``user`` may be trusted with their address: they proved it, or nobody claimed it.

    An account someone made for themselves (a join link's sign-up) holds an unconfirmed address
    until its confirmation link is opened; accounts made by the operator carry no such record.
    """
    addresses = EmailAddress.objects.filter(user=user, email__iexact=user.email)
    statuses = set(addresses.values_list("verified", flat=True))
    return True in statuses or not statuses


def unconfirmed_user_ids(user_ids: list[int]) -> set[int]:
    """The accounts among ``user_ids`` whose address is claimed but not yet proved."""
    claimed = EmailAddress.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "email", "verified"
    )
    emails = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email"))
    proved: set[int] = set()
    unproved: set[int] = set()
    for user_id, email, verified in claimed:
        if email.lower() == emails.get(user_id, "").lower():
            (proved if verified else unproved).add(user_id)
    return unproved - proved
