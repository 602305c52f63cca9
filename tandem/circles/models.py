"""Facilitated circles and speed-mentoring events.

A circle (a partnership of three or more) follows a session plan made from a guide: dated
sessions, each with a topic and three prompts, an optional peer facilitator, and attendance
each member reports for themself. A speed-mentoring event rotates a cohort's participants
through timed conversations, then each ranks whom they met for the cohort's mutual match.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort, Program
from tandem.rounds.models import MatchRun


class SessionGuide(models.Model):
    """A program's own guide: a copy of a Tandem guide, edited, or one written from scratch."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="session_guides")
    title = models.CharField(max_length=120)
    summary = models.TextField(blank=True, max_length=2000)
    # The title of the guide this one was copied from ("" when written from scratch).
    based_on = models.CharField(max_length=160, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class GuideSession(models.Model):
    guide = models.ForeignKey(SessionGuide, on_delete=models.CASCADE, related_name="sessions")
    position = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=160)
    prompt_one = models.CharField(max_length=400)
    prompt_two = models.CharField(max_length=400)
    prompt_three = models.CharField(max_length=400)

    class Meta:
        ordering = ["guide", "position"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "position"], name="guide_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.topic}"


class CircleSettings(models.Model):
    """How a program's circles are facilitated."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="circle_settings"
    )
    rotating_facilitation = models.BooleanField(
        default=False,
        help_text="Each session's facilitator rotates among the circle's members.",
    )

    def __str__(self) -> str:
        return f"Circle settings of {self.program}"


class CirclePlan(models.Model):
    """A circle's plan, made once from a guide; its sessions are copied so edits stay local."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="circle_plan"
    )
    guide_title = models.CharField(max_length=160)
    tandem_authored = models.BooleanField(default=False)
    rotating = models.BooleanField(default=False)
    # With a fixed facilitator: the member who volunteered, if any.
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Plan of partnership #{self.partnership_id}"


class CircleSession(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="circle_sessions"
    )
    position = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    topic = models.CharField(max_length=160)
    prompt_one = models.CharField(max_length=400)
    prompt_two = models.CharField(max_length=400)
    prompt_three = models.CharField(max_length=400)
    # With rotating facilitation: this session's facilitator.
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "position"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "position"], name="circle_session_once")
        ]

    def __str__(self) -> str:
        return f"Session {self.position + 1} of partnership #{self.partnership_id}"

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def prompts(self) -> tuple[str, str, str]:
        return (self.prompt_one, self.prompt_two, self.prompt_three)


class Attendance(models.Model):
    """One member's own report of whether they were at a session."""

    session = models.ForeignKey(CircleSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_attendance"
    )
    attended = models.BooleanField()
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attendance_once_per_member")
        ]

    def __str__(self) -> str:
        return f"Attendance of {self.user_id} at session #{self.session_id}"


class SpeedEvent(models.Model):
    """A timed speed-mentoring event for a cohort."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RUNNING = "running", "Running"
        RANKING = "ranking", "Ranking open"
        CLOSED = "closed", "Matched"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="speed_events")
    title = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    round_minutes = models.PositiveSmallIntegerField()
    rounds = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    # 0 before the first round starts; the round under way while running.
    current_round = models.PositiveSmallIntegerField(default=0)
    round_started_at = models.DateTimeField(null=True, blank=True)
    participant_ids: Any = models.JSONField(default=list)
    run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(round_minutes__gte=1) & Q(round_minutes__lte=60),
                name="speed_round_minutes_in_range",
            ),
            models.CheckConstraint(
                condition=Q(rounds__gte=1) & Q(rounds__lte=20), name="speed_rounds_in_range"
            ),
            models.CheckConstraint(
                condition=Q(current_round__lte=F("rounds")), name="speed_round_within_event"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SpeedMeeting(models.Model):
    """Two participants talking in one round; ``first`` has the lower id."""

    event = models.ForeignKey(SpeedEvent, on_delete=models.CASCADE, related_name="meetings")
    round = models.PositiveSmallIntegerField()
    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    table = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["event", "round", "table"]
        constraints = [
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="speed_pair_ordered"),
            models.UniqueConstraint(fields=["event", "first", "second"], name="speed_meet_once"),
            models.UniqueConstraint(fields=["event", "round", "table"], name="speed_table_once"),
        ]

    def __str__(self) -> str:
        return f"Round {self.round}, table {self.table} of event #{self.event_id}"


class SpeedRanking(models.Model):
    """Whom one participant would like as a peer mentor, best first, among those they met."""

    event = models.ForeignKey(SpeedEvent, on_delete=models.CASCADE, related_name="rankings")
    ranker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ranked_ids: Any = models.JSONField(default=list)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "ranker"], name="speed_rank_once")]

    def __str__(self) -> str:
        return f"Ranking of {self.ranker_id} at event #{self.event_id}"
