"""Who may place whom: nobody places themself into a partnership or a match.

A coordinator, researcher or operator who is also a participant (chief residents often are)
is matched and placed only by another coordinator: they cannot publish a run they are in,
move people into or out of their own group, lock it, forbid a pair they belong to, or place
anyone into a partnership of theirs.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.http import Http404

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.policies import can_manage_program
from tandem.rounds.models import MatchRun, Placement, PlacementConsent


def run_people(run: MatchRun) -> set[int]:
    """Everyone a run could place: its participants and the members of its groups."""
    people = {int(row["id"]) for row in run.participants}
    for group in run.groups.all():
        people.update(int(m) for m in group.member_ids)
    return people


def require_not_in(actor: User | None, people: Iterable[int], *, message: str) -> None:
    """Refuse with ``message`` when the person acting is among the people being placed."""
    if actor is not None and actor.pk in set(people):
        raise ValidationError(message)


def require_can_publish(actor: User | None, run: MatchRun) -> None:
    require_not_in(
        actor,
        run_people(run),
        message=(
            "You are in this run, so you cannot publish it: another coordinator of the "
            "program must publish it."
        ),
    )


def require_can_place(actor: User | None, newcomer: User, partnership: Partnership) -> None:
    if actor is not None and actor.pk == newcomer.pk:
        raise ValidationError(
            "Nobody can place themselves: another coordinator of the program must place you."
        )
    members = PartnershipMember.objects.filter(partnership=partnership, is_current=True)
    require_not_in(
        actor,
        members.values_list("user_id", flat=True),
        message=(
            "You are a member of that partnership, so another coordinator of the program must "
            "place people into it."
        ),
    )


def access_placement_consent(user: User, placement_id: int) -> PlacementConsent:
    """The person's own consent to an open placement into a partnership they are still in.

    404 for anyone who was not asked (the newcomer included), once the placement is decided,
    and once the person is no longer a current member.
    """
    if not user.is_authenticated:
        raise Http404
    consent = (
        PlacementConsent.objects.filter(
            placement_id=placement_id,
            member=user,
            placement__status=Placement.Status.ASKING,
            placement__partnership__members__user=user,
            placement__partnership__members__is_current=True,
        )
        .select_related("placement__newcomer", "placement__partnership__cohort__program")
        .first()
    )
    if consent is None:
        raise Http404
    return consent


def access_match_run(user: User, run_id: int, *, for_update: bool = False) -> MatchRun:
    """Return the run if ``user`` manages its program, else raise 404."""
    queryset = MatchRun.objects.select_related("cohort__program")
    if for_update:
        queryset = queryset.select_for_update()
    try:
        run = queryset.get(pk=run_id)
    except MatchRun.DoesNotExist:
        raise Http404 from None
    if not can_manage_program(user, run.cohort.program):
        raise Http404
    return run
