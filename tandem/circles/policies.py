"""Who may open a circle's plan, sessions and attendance, and a speed-mentoring event.

A circle's pages open through the workspace door (``access_workspace``): only members who
accepted and are current read them, so a proposed, declined, lapsed or exited member and
everyone else gets a 404, as on every workspace page. Coordinators never open them; they see
attendance only as suppressed counts. A speed-mentoring event opens for the program's
coordinators, and for each participant scheduled in it (their own rounds and ranking only).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404

from tandem.accounts.models import User
from tandem.circles.models import CircleSession, SessionGuide, SpeedEvent
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort, Exclusion, Program
from tandem.workspace.policies import access_workspace

CIRCLE_KINDS = (Partnership.Kind.TRIAD, Partnership.Kind.CIRCLE)


def is_circle(partnership: Partnership) -> bool:
    return partnership.kind in CIRCLE_KINDS


def access_circle(user: User, partnership_id: int, *, for_update: bool = False) -> Partnership:
    """The circle if ``user`` holds a seat in it, else 404 (a pair's id is 404 too)."""
    partnership = access_workspace(user, partnership_id, for_update=for_update)
    if not is_circle(partnership):
        raise Http404
    return partnership


def access_circle_session(
    user: User, partnership_id: int, session_id: int
) -> tuple[Partnership, CircleSession]:
    partnership = access_circle(user, partnership_id)
    session = CircleSession.objects.filter(pk=session_id, partnership=partnership).first()
    if session is None:
        raise Http404
    return partnership, session


def evaluates_a_member(program: Program, person_id: int, others: Iterable[int]) -> bool:
    """Whether the person evaluates or supervises (or is evaluated by) any of ``others``.

    A facilitator is a peer: someone with an evaluator line to a member may not take the role.
    """
    others = [pk for pk in others if pk != person_id]
    lines = Exclusion.objects.filter(program=program, reason=Exclusion.Reason.EVALUATOR)
    return (
        lines.filter(person_id=person_id, other_id__in=others).exists()
        or lines.filter(other_id=person_id, person_id__in=others).exists()
    )


def access_program_guide(program: Program, guide_id: int) -> SessionGuide:
    guide = SessionGuide.objects.filter(pk=guide_id, program=program).first()
    if guide is None:
        raise Http404
    return guide


def access_cohort_event(cohort: Cohort, event_id: int) -> SpeedEvent:
    """An event of a cohort the caller already opened through ``access_cohort``."""
    event = SpeedEvent.objects.filter(pk=event_id, cohort=cohort).select_related("cohort").first()
    if event is None:
        raise Http404
    return event


def access_event_as_participant(user: User, event_id: int) -> SpeedEvent:
    """The event if ``user`` was scheduled in it, else 404."""
    if not user.is_authenticated:
        raise Http404
    event = SpeedEvent.objects.filter(pk=event_id).select_related("cohort__program").first()
    if event is None or user.pk not in event.participant_ids:
        raise Http404
    return event
