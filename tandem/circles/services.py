"""Writes for circles (plans, facilitators, attendance, guides, reminders) and speed events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.circles import policies
from tandem.circles.guides import TANDEM_GUIDES, GuideTopic
from tandem.circles.models import (
    Attendance,
    CirclePlan,
    CircleSession,
    CircleSettings,
    GuideSession,
    SessionGuide,
    SpeedEvent,
    SpeedMeeting,
    SpeedRanking,
)
from tandem.engine import Constraints
from tandem.engine.speed import rotation_schedule
from tandem.notifications.models import ReminderSent
from tandem.notifications.selectors import preferences_of
from tandem.notifications.services import reminder_send_once
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort, Program
from tandem.rounds import selectors as rounds_selectors
from tandem.rounds.models import MatchRun
from tandem.rounds.services import match_run_start
from tandem.workspace.policies import require_writable, seated_members

# Sessions are reminded once, this long before they start.
REMINDER_AHEAD = dt.timedelta(hours=48)
MAX_SESSIONS = 24


@dataclass(frozen=True)
class GuideChoice:
    """A guide a circle may follow: ``ref`` is ``tandem:<key>`` or ``program:<id>``."""

    ref: str
    title: str
    summary: str
    tandem_authored: bool
    topics: tuple[GuideTopic, ...]


def guide_choices(program: Program) -> list[GuideChoice]:
    """Tandem's guides, then the program's own, each with its topics."""
    choices = [
        GuideChoice(f"tandem:{g.key}", g.title, g.summary, True, g.sessions)
        for g in TANDEM_GUIDES.values()
    ]
    for guide in SessionGuide.objects.filter(program=program).prefetch_related("sessions"):
        topics = tuple(
            GuideTopic(s.topic, (s.prompt_one, s.prompt_two, s.prompt_three))
            for s in guide.sessions.all()
        )
        choices.append(
            GuideChoice(f"program:{guide.pk}", guide.title, guide.summary, False, topics)
        )
    return choices


def guide_choice(program: Program, ref: str) -> GuideChoice:
    for choice in guide_choices(program):
        if choice.ref == ref:
            return choice
    raise ValidationError({"guide": "Choose one of the guides offered."})


def rotating_facilitation(program: Program) -> bool:
    found = CircleSettings.objects.filter(program=program).first()
    return bool(found and found.rotating_facilitation)


# ---------------------------------------------------------------------- circle plans
def circle_plan_create(
    *,
    partnership: Partnership,
    by: User,
    guide_ref: str,
    first_at: dt.datetime,
    every_days: int,
) -> CirclePlan:
    """Copy a guide's sessions into the circle, ``every_days`` apart from ``first_at``.

    With the program's rotating facilitation, each session gets the next member in turn.
    The partnership row is locked so two members creating a plan at once make one plan.
    """
    if every_days < 1 or every_days > 90:
        raise ValidationError({"every_days": "Sessions are 1 to 90 days apart."})
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
        require_writable(partnership)
        if CirclePlan.objects.filter(partnership=partnership).exists():
            raise ValidationError("This circle already has a plan.")
        program = partnership.cohort.program
        choice = guide_choice(program, guide_ref)
        if not choice.topics:
            raise ValidationError({"guide": "That guide has no sessions yet."})
        rotating = rotating_facilitation(program)
        members = list(
            seated_members(partnership)
            .order_by("user__full_name", "user_id")
            .values_list("user_id", flat=True)
        )
        # Members with an evaluator line to another member are skipped in the rotation.
        peers = [pk for pk in members if not policies.evaluates_a_member(program, pk, members)]
        plan = CirclePlan.objects.create(
            partnership=partnership,
            guide_title=choice.title,
            tandem_authored=choice.tandem_authored,
            rotating=rotating,
            created_by=by,
        )
        CircleSession.objects.bulk_create(
            CircleSession(
                partnership=partnership,
                position=position,
                starts_at=first_at + dt.timedelta(days=every_days * position),
                topic=topic.topic,
                prompt_one=topic.prompts[0],
                prompt_two=topic.prompts[1],
                prompt_three=topic.prompts[2],
                facilitator_id=peers[position % len(peers)] if rotating and peers else None,
            )
            for position, topic in enumerate(choice.topics)
        )
    return plan


def circle_facilitator_set(*, partnership: Partnership, by: User, volunteer: bool) -> CirclePlan:
    """A member volunteers as the circle's facilitator, or steps down.

    Only a peer may facilitate: someone with an evaluator line to another member may not.
    """
    with transaction.atomic():
        plan = CirclePlan.objects.select_for_update().filter(partnership=partnership).first()
        if plan is None:
            raise ValidationError("Make the circle's plan first.")
        require_writable(partnership)
        if plan.rotating:
            raise ValidationError("Facilitation rotates in this program: each session has its own.")
        if not volunteer:
            if plan.facilitator_id == by.pk:
                plan.facilitator = None
                plan.save(update_fields=["facilitator"])
            return plan
        members = seated_members(partnership).values_list("user_id", flat=True)
        if policies.evaluates_a_member(partnership.cohort.program, by.pk, list(members)):
            raise ValidationError(
                "A facilitator is a peer: you evaluate or supervise a member of this circle "
                "(or they you), so another member should facilitate."
            )
        plan.facilitator = by
        plan.save(update_fields=["facilitator"])
    return plan


def attendance_report(*, session: CircleSession, user: User, attended: bool) -> Attendance:
    """A member says whether they were at a session, from the session's day on."""
    require_writable(session.partnership)
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise ValidationError("Attendance can be reported from the day of the session.")
    record, _ = Attendance.objects.update_or_create(
        session=session,
        user=user,
        defaults={"attended": attended, "reported_at": timezone.now()},
    )
    return record


def circle_session_move(*, session: CircleSession, starts_at: dt.datetime) -> CircleSession:
    """Move one session; its reminder goes again for the new time (the time is in its key)."""
    require_writable(session.partnership)
    if starts_at < timezone.now() - dt.timedelta(days=1):
        raise ValidationError({"starts_date": "Choose a date from today on."})
    session.starts_at = starts_at
    session.save(update_fields=["starts_at"])
    return session


def circle_session_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each current member of a session once, within two days of its start.

    The start time is part of the key, so a session whose date moves is reminded again.
    Members who turned meeting reminders off are not reminded.
    """
    now = now or timezone.now()
    sessions = CircleSession.objects.filter(
        partnership__status=Partnership.Status.ACTIVE,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD,
    ).select_related("partnership")
    sent = 0
    for session in sessions:
        members = [m.user for m in seated_members(session.partnership).select_related("user")]
        preferences = preferences_of(members)
        link = reverse("circles:session", args=[session.partnership_id, session.pk])
        for user in members:
            if not preferences[user.pk].meeting_reminders:
                continue
            sent += reminder_send_once(
                key=f"circle-session:{session.pk}:{user.pk}:{session.starts_at.isoformat()}",
                user=user,
                kind=ReminderSent.Kind.OTHER,
                template="circles/email/session_reminder",
                context={"starts": session.starts_at, "number": session.number, "link": link},
            )
    return sent


# ---------------------------------------------------------------------- guides (coordinators)
def circle_settings_update(*, program: Program, rotating_facilitation: bool) -> CircleSettings:
    found, _ = CircleSettings.objects.update_or_create(
        program=program, defaults={"rotating_facilitation": rotating_facilitation}
    )
    return found


def guide_save(
    *,
    program: Program,
    by: User,
    title: str,
    summary: str,
    topics: Sequence[GuideTopic],
    guide: SessionGuide | None = None,
    based_on: str = "",
) -> SessionGuide:
    """Create or replace a program's guide with ``topics`` in order."""
    if not title.strip():
        raise ValidationError({"title": "Give the guide a title."})
    if not topics:
        raise ValidationError("A guide needs at least one session with a topic and three prompts.")
    if len(topics) > MAX_SESSIONS:
        raise ValidationError(f"A guide has at most {MAX_SESSIONS} sessions.")
    with transaction.atomic():
        if guide is None:
            guide = SessionGuide.objects.create(
                program=program,
                title=title.strip(),
                summary=summary,
                based_on=based_on,
                created_by=by,
            )
        else:
            guide = SessionGuide.objects.select_for_update().get(pk=guide.pk, program=program)
            guide.title, guide.summary, guide.updated_at = title.strip(), summary, timezone.now()
            guide.save()
            guide.sessions.all().delete()
        GuideSession.objects.bulk_create(
            GuideSession(
                guide=guide,
                position=position,
                topic=topic.topic,
                prompt_one=topic.prompts[0],
                prompt_two=topic.prompts[1],
                prompt_three=topic.prompts[2],
            )
            for position, topic in enumerate(topics)
        )
    return guide


def guide_copy(*, program: Program, by: User, source_ref: str) -> SessionGuide:
    """The program's own editable copy of a Tandem guide or of one of its guides."""
    source = guide_choice(program, source_ref)
    return guide_save(
        program=program,
        by=by,
        title=f"{source.title} (our copy)"[:120],
        summary=source.summary,
        topics=source.topics,
        based_on=source.title + (" (Tandem)" if source.tandem_authored else ""),
    )


# ---------------------------------------------------------------------- speed mentoring
def speed_event_create(
    *,
    cohort: Cohort,
    by: User,
    title: str,
    starts_at: dt.datetime,
    round_minutes: int,
    rounds: int,
) -> SpeedEvent:
    """An event over everyone the cohort's next match would consider, with its rotation.

    Nobody meets someone they may never be paired with: the schedule applies the same stage
    gap, evaluator lines, blocked pairs and previous partners as the match itself.
    """
    if not 1 <= round_minutes <= 60:
        raise ValidationError({"round_minutes": "Rounds last 1 to 60 minutes."})
    if not 1 <= rounds <= 20:
        raise ValidationError({"rounds": "An event has 1 to 20 rounds."})
    matching = rounds_selectors.participants_for_matching(cohort)
    if len(matching.participants) < 2:
        raise ValidationError("At least two people with a career stage are needed for an event.")
    draft = MatchRun(cohort=cohort, mode="mutual", weights={}, seed=0)
    draft.allow_previous_partners = cohort.allow_previous_partners
    schedule = rotation_schedule(
        matching.participants,
        rounds_selectors.engine_config(draft),
        Constraints(forbidden=tuple(matching.forbidden)),
        rounds=rounds,
    )
    with transaction.atomic():
        event = SpeedEvent.objects.create(
            cohort=cohort,
            title=title,
            starts_at=starts_at,
            round_minutes=round_minutes,
            rounds=rounds,
            participant_ids=sorted(int(p.id) for p in matching.participants),
            created_by=by,
        )
        SpeedMeeting.objects.bulk_create(
            SpeedMeeting(event=event, round=number, table=table, first_id=a, second_id=b)
            for number, meetings in enumerate(schedule, start=1)
            for table, (a, b) in enumerate(
                sorted(tuple(sorted((int(x), int(y)))) for x, y in meetings), start=1
            )
        )
    return event


def speed_event_advance(*, event: SpeedEvent) -> SpeedEvent:
    """Start the first round, move to the next, or after the last open the rankings."""
    with transaction.atomic():
        event = SpeedEvent.objects.select_for_update().get(pk=event.pk)
        if event.status in (SpeedEvent.Status.RANKING, SpeedEvent.Status.CLOSED):
            raise ValidationError("The rounds are over.")
        if event.current_round >= event.rounds:
            event.status = SpeedEvent.Status.RANKING
            event.round_started_at = None
        else:
            event.status = SpeedEvent.Status.RUNNING
            event.current_round += 1
            event.round_started_at = timezone.now()
        event.save(update_fields=["status", "current_round", "round_started_at"])
    return event


def met_ids(event: SpeedEvent, user: User) -> list[int]:
    """Whom ``user`` met (or meets) at the event, in round order."""
    rows = SpeedMeeting.objects.filter(event=event).order_by("round")
    found: list[int] = []
    for first, second in rows.values_list("first_id", "second_id"):
        if first == user.pk:
            found.append(second)
        elif second == user.pk:
            found.append(first)
    return found


def speed_ranking_submit(
    *, event: SpeedEvent, user: User, ranked_ids: Sequence[int]
) -> SpeedRanking:
    """Whom ``user`` would like as a peer mentor, best first; only people they met count.

    Leaving someone out says "not as my peer mentor": mutual mode never pairs them.
    """
    if event.status != SpeedEvent.Status.RANKING:
        raise ValidationError("Rankings open after the last round and close once matched.")
    met = set(met_ids(event, user))
    ranked = list(dict.fromkeys(int(pk) for pk in ranked_ids))
    if any(pk not in met for pk in ranked):
        raise ValidationError("You can rank only the people you met at this event.")
    record, _ = SpeedRanking.objects.update_or_create(
        event=event, ranker=user, defaults={"ranked_ids": ranked, "submitted_at": timezone.now()}
    )
    return record


def speed_event_match(*, event: SpeedEvent, by: User) -> MatchRun:
    """A draft mutual-mode run for the cohort from the event's rankings, for review."""
    with transaction.atomic():
        event = SpeedEvent.objects.select_for_update().select_related("cohort").get(pk=event.pk)
        if event.status != SpeedEvent.Status.RANKING:
            raise ValidationError("Open the rankings (finish the rounds) before matching.")
        rankings = {
            ranking.ranker_id: list(ranking.ranked_ids)
            for ranking in SpeedRanking.objects.filter(event=event)
        }
        if not rankings:
            raise ValidationError("Nobody has ranked anyone yet.")
        run = match_run_start(cohort=event.cohort, created_by=by, mode="mutual", rankings=rankings)
        event.run = run
        event.status = SpeedEvent.Status.CLOSED
        event.save(update_fields=["run", "status"])
    return run
