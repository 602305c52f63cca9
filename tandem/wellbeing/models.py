"""Resiliency: check-ins (pulses), the reflection journal, kudos and support resources.

Pulses and reflections are self-private (P1): ciphertext at rest, seen by the person and by
their current partners only for what they chose to share. Kudos and shared copies of
reflections are pair-private (P0). Support resources and check-in settings are the program's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tandem.core.crypto import EncryptedTextField
from tandem.partnerships.models import Partnership
from tandem.programs.models import Program
from tandem.wellbeing.fields import EncryptedIntegerField

DEFAULT_PULSE_EVERY_DAYS = 14
DEFAULT_BURNOUT_THRESHOLD = 3
DEFAULT_SUPPORTED_THRESHOLD = 2
KUDOS_MAX_LENGTH = 280


class ProgramWellbeing(models.Model):
    """A program's check-in schedule and the answers that bring up its support resources."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="wellbeing")
    pulse_every_days = models.PositiveSmallIntegerField(
        default=DEFAULT_PULSE_EVERY_DAYS,
        help_text="A check-in is due when the person has not checked in for this many days.",
    )
    burnout_threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_BURNOUT_THRESHOLD,
        help_text="Support resources are shown at once for a burnout answer this high or higher.",
    )
    supported_threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_SUPPORTED_THRESHOLD,
        help_text="…or for a feeling-supported answer this low or lower.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "program check-in settings"
        verbose_name_plural = "program check-in settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(pulse_every_days__gte=7, pulse_every_days__lte=90),
                name="program_pulse_every_7_to_90_days",
            ),
            models.CheckConstraint(
                condition=Q(burnout_threshold__gte=2, burnout_threshold__lte=5),
                name="program_burnout_threshold_2_to_5",
            ),
            models.CheckConstraint(
                condition=Q(supported_threshold__gte=1, supported_threshold__lte=4),
                name="program_supported_threshold_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in settings of {self.program}"


class WellbeingSettings(models.Model):
    """A person's own check-in schedule, and when they were last reminded.

    Whether they want reminder emails at all is a notification preference
    (``NotificationPreference.checkin_reminders``), beside every other email Tandem sends.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_settings"
    )
    pulse_every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "wellbeing settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(pulse_every_days__isnull=True)
                | Q(pulse_every_days__gte=7, pulse_every_days__lte=90),
                name="own_pulse_every_7_to_90_days",
            )
        ]

    def __str__(self) -> str:
        return f"Wellbeing settings of {self.user}"


class Pulse(models.Model):
    """One check-in. Every answer is ciphertext; only its time and sharing choice are plain."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulses"
    )
    burnout = EncryptedIntegerField()
    supported = EncryptedIntegerField()
    word = EncryptedTextField(blank=True, default="")
    shared_with_partners = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"Check-in #{self.pk}"


class Reflection(models.Model):
    class Kind(models.TextChoices):
        WIN = "win", "A win"
        SETBACK = "setback", "A setback"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    # Whether an entry is about a setback is itself private, so the kind is encrypted too.
    kind = EncryptedTextField(choices=Kind.choices)
    what_happened = EncryptedTextField()
    opportunity = EncryptedTextField(blank=True, default="")
    advice_to_peer = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Reflection #{self.pk}"

    @property
    def shared_partnership_ids(self) -> set[int]:
        return {share.partnership_id for share in self.shares.all()}


class SharedReflection(models.Model):
    """A copy of a reflection shared into one partnership, frozen at the time of sharing.

    A copy rather than a flag, so later private edits never reach the partners unless the
    person shares again. Deleting the reflection deletes its copies.
    """

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="shares")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="shared_reflections"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = EncryptedTextField(choices=Reflection.Kind.choices)
    what_happened = EncryptedTextField()
    opportunity = EncryptedTextField(blank=True, default="")
    advice_to_peer = EncryptedTextField(blank=True, default="")
    written_at = models.DateTimeField()
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "partnership"], name="reflection_shared_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"Shared reflection #{self.pk}"


class Kudos(models.Model):
    """A short note of encouragement from one member to the others (or to one of them)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="kudos")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_sent"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kudos_received",
        help_text="Empty: everyone else in the partnership.",
    )
    message = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "kudos"
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=True) | ~Q(recipient=F("sender")),
                name="kudos_not_to_oneself",
            )
        ]

    def __str__(self) -> str:
        return f"Kudos #{self.pk}"


class SupportResource(models.Model):
    class Kind(models.TextChoices):
        CRISIS = "crisis", "Crisis line"
        WELLNESS = "wellness", "Wellness office"
        ASSISTANCE = "assistance", "Employee assistance"
        OTHER = "other", "Other support"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="support_resources")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    url = models.URLField(blank=True)
    hours = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_example = models.BooleanField(
        default=False, help_text="Added by Tandem as an example; the program has not checked it."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program", "order", "name"]

    def __str__(self) -> str:
        return self.name


class PeriodRelease(models.Model):
    """A cohort's check-in counts for one two-week period, fixed once the period has ended.

    ``figures`` holds only the suppressed row that may be shown. Nothing recomputes a released
    period: counts that moved when one person later deleted a check-in, joined or left would
    give that person's answer away.
    """

    cohort = models.ForeignKey(
        "programs.Cohort", on_delete=models.CASCADE, related_name="checkin_releases"
    )
    starts_on = models.DateField()
    figures = models.JSONField()
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "starts_on"], name="checkin_release_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"Check-ins of {self.cohort} from {self.starts_on}"
