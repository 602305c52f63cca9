"""Reads for circles and speed events, scoped to the person asking.

Members see their circle's sessions and who reported attending; coordinators see attendance
only as counts across the cohort's circles, with small cells suppressed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from tandem.accounts.models import User
from tandem.circles.models import (
    Attendance,
    CirclePlan,
    CircleSession,
    SpeedEvent,
    SpeedMeeting,
    SpeedRanking,
)
from tandem.core.suppression import SuppressedTable, suppress_table
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort
from tandem.workspace.policies import SEATED, seated_members


@dataclass
class SessionRow:
    session: CircleSession
    facilitator: User | None
    # Each current member with True (there), False (not there) or None (not reported).
    attendance: list[tuple[User, bool | None]]
    mine: bool | None
    reportable: bool


def plan_of(partnership: Partnership) -> CirclePlan | None:
    return CirclePlan.objects.filter(partnership=partnership).select_related("facilitator").first()


def session_rows(partnership: Partnership, user: User) -> list[SessionRow]:
    """The circle's sessions with their facilitator and each current member's attendance."""
    plan = plan_of(partnership)
    if plan is None:
        return []
    members = [m.user for m in seated_members(partnership).select_related("user")]
    sessions = list(
        CircleSession.objects.filter(partnership=partnership).select_related("facilitator")
    )
    reports = {
        (a.session_id, a.user_id): a.attended
        for a in Attendance.objects.filter(session__in=sessions)
    }
    today = timezone.localdate()
    return [
        SessionRow(
            session=session,
            facilitator=session.facilitator if plan.rotating else plan.facilitator,
            attendance=[(member, reports.get((session.pk, member.pk))) for member in members],
            mine=reports.get((session.pk, user.pk)),
            reportable=timezone.localdate(session.starts_at) <= today,
        )
        for session in sessions
    ]


def cohort_attendance(cohort: Cohort) -> SuppressedTable | None:
    """Reports of attending and of missing each session number, over the cohort's circles.

    Only current members' reports count; every cell of 1 to 10 is suppressed.
    """
    seated = PartnershipMember.objects.filter(
        SEATED, partnership=OuterRef("session__partnership"), user=OuterRef("user")
    )
    rows = (
        Attendance.objects.filter(session__partnership__cohort=cohort)
        .filter(Exists(seated))
        .values("session__position")
        .annotate(
            there=Count("pk", filter=Q(attended=True), distinct=True),
            missed=Count("pk", filter=Q(attended=False), distinct=True),
        )
        .order_by("session__position")
    )
    table = [(row["session__position"] + 1, row["there"], row["missed"]) for row in rows]
    if not table:
        return None
    return suppress_table(
        [[there, missed] for _, there, missed in table],
        row_labels=[f"Session {number}" for number, _, _ in table],
        column_labels=["Attended", "Did not attend"],
    )


def circles_in(cohort: Cohort) -> dict[str, int]:
    """How many of the cohort's active circles have a plan, and how many have none."""
    circles = Partnership.objects.filter(
        cohort=cohort,
        status=Partnership.Status.ACTIVE,
        kind__in=(Partnership.Kind.TRIAD, Partnership.Kind.CIRCLE),
    )
    planned = circles.filter(circle_plan__isnull=False).count()
    return {"circles": circles.count(), "planned": planned}


# ---------------------------------------------------------------------- speed events
def events_of(cohort: Cohort) -> list[SpeedEvent]:
    return list(
        SpeedEvent.objects.filter(cohort=cohort).annotate(ranked=Count("rankings", distinct=True))
    )


def schedule_of(event: SpeedEvent) -> list[dict[str, Any]]:
    """Each round's tables with both names, and who sits the round out."""
    meetings = list(SpeedMeeting.objects.filter(event=event).select_related("first", "second"))
    people = {u.pk: u for u in User.objects.filter(pk__in=event.participant_ids)}
    rounds = []
    for number in range(1, event.rounds + 1):
        tables = [m for m in meetings if m.round == number]
        busy = {m.first_id for m in tables} | {m.second_id for m in tables}
        resting = [people[pk] for pk in event.participant_ids if pk not in busy and pk in people]
        rounds.append({"number": number, "tables": tables, "resting": resting})
    return rounds


def my_rounds(event: SpeedEvent, user: User) -> list[dict[str, Any]]:
    """For one participant: in each round, their table and whom they meet (or a rest)."""
    mine = {
        m.round: m
        for m in SpeedMeeting.objects.filter(event=event)
        .filter(Q(first=user) | Q(second=user))
        .select_related("first", "second")
    }
    rows = []
    for number in range(1, event.rounds + 1):
        meeting = mine.get(number)
        peer = None
        if meeting is not None:
            peer = meeting.second if meeting.first_id == user.pk else meeting.first
        rows.append({"number": number, "table": meeting.table if meeting else None, "peer": peer})
    return rows


def ranking_of(event: SpeedEvent, user: User) -> list[int]:
    found = SpeedRanking.objects.filter(event=event, ranker=user).first()
    return list(found.ranked_ids) if found else []


def events_for_participant(user: User) -> list[SpeedEvent]:
    """Open events (not yet matched) that ``user`` is scheduled in."""
    open_events = (
        SpeedEvent.objects.exclude(status=SpeedEvent.Status.CLOSED)
        .filter(cohort__enrollments__user=user)
        .select_related("cohort")
        .distinct()
    )
    return [event for event in open_events if user.pk in event.participant_ids]


def round_ends_at(event: SpeedEvent) -> dt.datetime | None:
    if event.status != SpeedEvent.Status.RUNNING or event.round_started_at is None:
        return None
    return event.round_started_at + dt.timedelta(minutes=event.round_minutes)
