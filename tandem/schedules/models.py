"""Rotation and call schedules, each person's scheduling settings, and the program's defaults.

A person's blocks and their rotation names are self-private (P1): the names are stored
encrypted, and partners see only the mutual free windows computed from them. Coordinators
upload a program's block schedule but afterwards see only aggregates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from tandem.core.crypto import EncryptedTextField
from tandem.engine.availability import DEFAULT_RULES, KINDS
from tandem.programs.models import Program


def default_zone() -> str:
    return str(settings.TIME_ZONE)


def default_rules() -> dict[str, str]:
    return dict(DEFAULT_RULES)


class ScheduleBlock(models.Model):
    class Kind(models.TextChoices):
        DAY = "day", "Day"
        NIGHT = "night", "Night"
        CALL = "call", "Call"
        POST_CALL = "post-call", "Post-call"
        VACATION = "vacation", "Vacation"
        CLINIC = "clinic", "Clinic"
        OFF = "off", "Off"

    class Source(models.TextChoices):
        UPLOAD = "upload", "Uploaded CSV"
        ICS = "ics", "Uploaded calendar file"
        FEED = "feed", "Calendar subscription"
        PROGRAM = "program", "Program block schedule"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_blocks"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    whole_days = models.BooleanField(
        default=False, help_text="Given as dates: covers whole local days, the end date included."
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Null when a block has no name, which also spares encrypting nothing on large imports.
    label = EncryptedTextField(
        null=True, blank=True, help_text="The rotation name; only its owner sees it."
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["user", "starts_at", "pk"]
        indexes = [models.Index(fields=["user", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")) | Q(whole_days=True),
                name="schedule_block_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="schedule_block_not_reversed",
            ),
            models.CheckConstraint(condition=Q(kind__in=list(KINDS)), name="schedule_block_kind"),
            models.CheckConstraint(
                condition=Q(source="program", program__isnull=False) | ~Q(source="program"),
                name="program_block_names_its_program",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} block #{self.pk} of user #{self.user_id}"


class ScheduleSettings(models.Model):
    """One person's time zone, waking hours, meeting length and calendar subscription."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_settings"
    )
    timezone = models.CharField(max_length=64, default=default_zone)
    wakes_at = models.TimeField(default=dt.time(7, 0))
    sleeps_at = models.TimeField(default=dt.time(22, 0))
    meeting_minutes = models.PositiveSmallIntegerField(
        default=60, help_text="How many minutes you can give to one meeting."
    )
    drought_nudges = models.BooleanField(
        default=True, help_text="A gentle email when your partnership has not met for a while."
    )
    feed_url = EncryptedTextField(blank=True, help_text="A calendar subscription (.ics) address.")
    feed_fetched_at = models.DateTimeField(null=True, blank=True)
    feed_error = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=15) & Q(meeting_minutes__lte=240),
                name="schedule_meeting_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Schedule settings of user #{self.user_id}"


class ProgramScheduleRules(models.Model):
    """A program's defaults: how each rotation kind counts, day hours and the drought nudge."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="schedule_rules")
    kind_rules: Any = models.JSONField(default=default_rules)
    day_starts_at = models.TimeField(default=dt.time(7, 0))
    day_ends_at = models.TimeField(default=dt.time(18, 0))
    drought_weeks = models.PositiveSmallIntegerField(
        default=4, help_text="Weeks without a meeting before both members get a nudge; 0 is off."
    )
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(drought_weeks__lte=26), name="schedule_drought_weeks_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Schedule rules of {self.program}"


class ScheduleImport(models.Model):
    """A coordinator's block-schedule upload: previewed first, applied all or nothing."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="schedule_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    # The file holds rotation names (self-private), so it is stored encrypted and then dropped.
    content = EncryptedTextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary: Any = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Schedule import #{self.pk} of {self.program}"


class OwnScheduleImport(models.Model):
    """A person's own schedule file (CSV or .ics): previewed by them first, then applied."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_uploads"
    )
    source = models.CharField(max_length=10, choices=ScheduleBlock.Source.choices)
    filename = models.CharField(max_length=255)
    # The file is the person's schedule (self-private): encrypted, and dropped once decided.
    content = EncryptedTextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    # Counts and problems only: never a label or a date of the schedule.
    summary: Any = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Schedule upload #{self.pk}"


class CalendarFeed(models.Model):
    """A person's private subscription address; only a hash of its secret is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)
    last_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of user #{self.user_id}"


class DroughtNudge(models.Model):
    """That a partnership's members were nudged for the drought that began at ``since``."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField()
    sent_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "since"], name="one_nudge_per_drought")
        ]

    def __str__(self) -> str:
        return f"Drought nudge for partnership #{self.partnership_id}"


class CohortScheduleRules(models.Model):
    """A cohort's hard rule for matching: the least mutual free time a pair needs a month."""

    cohort = models.OneToOneField(
        "programs.Cohort", on_delete=models.CASCADE, related_name="schedule_rules"
    )
    min_mutual_minutes_per_month = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_mutual_minutes_per_month__lte=6000),
                name="cohort_minimum_mutual_time_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Schedule rules of cohort #{self.cohort_id}"
