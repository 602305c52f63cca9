"""Circles' part of a person's data: the sessions they facilitated, the attendance they reported,
and the speed-mentoring events they met people at and their rankings.

The rows go with the account: attendance, meetings and rankings by cascade; a session they were
to facilitate keeps its place in the circle's plan without them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tandem.accounts.models import User
from tandem.circles.models import Attendance, CircleSession, SpeedMeeting, SpeedRanking
from tandem.core.personal_data import register, when


def circles_of(user: User) -> dict[str, Any]:
    return {
        "sessions_facilitated": [
            {"partnership": s.partnership_id, "session": s.position, "starts_at": when(s.starts_at)}
            for s in CircleSession.objects.filter(facilitator=user).order_by("starts_at", "pk")
        ],
        "attendance_reported": [
            {
                "partnership": row.session.partnership_id,
                "session": row.session.position,
                "attended": row.attended,
                "reported_at": when(row.reported_at),
            }
            for row in Attendance.objects.filter(user=user)
            .select_related("session")
            .order_by("reported_at", "pk")
        ],
        "speed_mentoring_meetings": [
            {
                "event": meeting.event_id,
                "round": meeting.round,
                "with": meeting.second_id if meeting.first_id == user.pk else meeting.first_id,
            }
            for meeting in SpeedMeeting.objects.filter(Q(first=user) | Q(second=user)).order_by(
                "event_id", "round"
            )
        ],
        "speed_mentoring_rankings": [
            {"event": row.event_id, "ranked": list(row.ranked_ids), "at": when(row.submitted_at)}
            for row in SpeedRanking.objects.filter(ranker=user).order_by("submitted_at", "pk")
        ],
    }


def register_personal_data() -> None:
    register("circles", personal_data=circles_of)
