"""Instruments (versioned questionnaires), surveys that give one to a cohort in waves, and the
answers people give.

An instrument's items live in a version; once a survey uses a version it is frozen, and edits
go to a new version, so past answers always keep the wording and scoring they were given
under. Numeric answers are operational data shown only in aggregate; free-text answers are
self-private (P1): ciphertext at rest, read by the respondent alone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tandem.core.crypto import EncryptedTextField
from tandem.programs.models import Cohort, Program

TEXT_ANSWER_MAX_LENGTH = 2000


class Instrument(models.Model):
    """A questionnaire a program uses: its name and where it comes from, not its items."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="instruments")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField(
        blank=True, help_text="Shown to participants above the questions."
    )
    source = models.TextField(blank=True, help_text="Who wrote it and where it was published.")
    licence = models.CharField(max_length=300, blank=True)
    is_validated = models.BooleanField(
        "validated instrument",
        default=False,
        help_text="Published validity evidence exists for exactly this wording.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="instrument_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def latest_version(self) -> InstrumentVersion:
        found = self.versions.order_by("-number").first()
        assert found is not None, "every instrument is created with a first version"
        return found


class InstrumentVersion(models.Model):
    """The items and the scoring of one version of an instrument."""

    class Scoring(models.TextChoices):
        MEAN = "mean", "Mean of the items"
        SUM = "sum", "Sum of the items"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    scoring = models.CharField(max_length=4, choices=Scoring.choices, default=Scoring.MEAN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="instrument_version_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="instrument_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        """A version a survey uses never changes again."""
        return self.surveys.exists()


class Item(models.Model):
    """One question: its wording, its response scale and how it counts towards the score."""

    class Kind(models.TextChoices):
        LIKERT = "likert", "Agreement or rating scale with labelled points"
        NUMBER = "number", "Number in a range"
        TEXT = "text", "Free text (private to the person)"

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(
        max_length=40, help_text="Stays the same across versions, so items can be compared."
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.LIKERT)
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    # One label per point from scale_min to scale_max; "" for a point without a label.
    point_labels: Any = models.JSONField(default=list, blank=True)
    reverse_scored = models.BooleanField(default=False)
    subscale = models.CharField(max_length=80, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="item_key_unique_in_version"),
            models.CheckConstraint(
                condition=Q(kind="text") | Q(scale_min__isnull=False, scale_max__isnull=False),
                name="item_scale_needs_bounds",
            ),
            models.CheckConstraint(
                condition=Q(kind="text") | Q(scale_max__gt=F("scale_min")),
                name="item_scale_max_above_min",
            ),
            models.CheckConstraint(
                condition=~Q(kind="text") | Q(reverse_scored=False, subscale=""),
                name="item_text_is_not_scored",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"

    @property
    def is_scored(self) -> bool:
        return self.kind != self.Kind.TEXT

    @property
    def points(self) -> list[tuple[int, str]]:
        """(value, label) for every point of a Likert scale, lowest first."""
        if self.kind != self.Kind.LIKERT or self.scale_min is None or self.scale_max is None:
            return []
        labels = list(self.point_labels or [])
        values = range(self.scale_min, self.scale_max + 1)
        return [
            (value, labels[index] if index < len(labels) else "")
            for index, value in enumerate(values)
        ]


class Survey(models.Model):
    """One version of an instrument given to a cohort, in waves."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="surveys")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="surveys")
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.RESTRICT, related_name="surveys"
    )
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def instrument(self) -> Instrument:
        return self.version.instrument


class SurveyWave(models.Model):
    """One round of a survey: open from ``opens_on`` to ``closes_on`` (both included)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    label = models.CharField(max_length=80)
    offset_months = models.PositiveSmallIntegerField(
        help_text="Months after the cohort's start (0 is the baseline)."
    )
    opens_on = models.DateField()
    closes_on = models.DateField()

    class Meta:
        ordering = ["survey", "offset_months"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "offset_months"], name="survey_wave_offset_unique"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="survey_wave_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.label}"

    def is_open_on(self, day: Any) -> bool:
        return bool(self.opens_on <= day <= self.closes_on)


class Response(models.Model):
    """A person's answers to one wave: one per person and wave, editable until it closes."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["wave", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "user"], name="response_once_per_wave")
        ]

    def __str__(self) -> str:
        return f"Response #{self.pk}"


class Answer(models.Model):
    """One item's answer: a number for scaled items, private text for free-text items."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.RESTRICT, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    text = EncryptedTextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item")
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk}"


class WaveRelease(models.Model):
    """A wave's aggregate figures, fixed the first time they are shown after the wave closed.

    ``figures`` holds only what may be shown (suppressed counts, means of at least K people),
    plus, under ``groups``, which people each shown mean covers, so that later means of the
    same answers can be checked against them. Nothing recomputes a released wave: figures that
    changed when one person later withdrew or erased their data would give that person away.
    """

    wave = models.OneToOneField(SurveyWave, on_delete=models.CASCADE, related_name="release")
    figures = models.JSONField()
    released_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Figures of {self.wave}"
