"""The outcomes registry: what became of each person of a program, recorded over time.

Departures (retention), rank changes on the program's ladder, fellowship matches,
publications and grants hang off the person's Profile in the program. All of it is
operational data (P2): the program's coordinators read and write it; the evaluation report
only ever shows it in aggregate.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from tandem.programs.models import Cohort, Profile, Program


class Source(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    CSV = "csv", "CSV import"
    ORCID = "orcid", "ORCID import"
    PUBMED = "pubmed", "PubMed import"
    DEMO = "demo", "Demo data"


class OutcomeBase(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class Departure(OutcomeBase):
    """The person left the program or the institution on a date; one departure per person.

    Completing training as planned is recorded too but is not attrition: the report counts
    it as the end of follow-up (censored), not as an event.
    """

    class Scope(models.TextChoices):
        PROGRAM = "program", "Left the program"
        INSTITUTION = "institution", "Left the institution"

    class Reason(models.TextChoices):
        COMPLETED = "completed", "Completed training as planned"
        OTHER_INSTITUTION = "other_institution", "Moved to another institution"
        INDUSTRY = "industry", "Moved to industry or private practice"
        LEFT_MEDICINE = "left_medicine", "Left medicine"
        PERSONAL = "personal", "Personal or family reasons"
        HEALTH = "health", "Health"
        DISMISSED = "dismissed", "Dismissed or not renewed"
        OTHER = "other", "Other or unknown"

    left_on = models.DateField()
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.INSTITUTION)
    reason = models.CharField(max_length=20, choices=Reason.choices)

    class Meta:
        ordering = ["left_on"]
        constraints = [
            models.UniqueConstraint(fields=["profile"], name="departure_once_per_profile"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} on {self.left_on}"

    @property
    def is_attrition(self) -> bool:
        return self.reason != self.Reason.COMPLETED


class RankChange(OutcomeBase):
    """A move on the program's career ladder (a promotion when ``to_rung`` is higher)."""

    from_rung = models.CharField(max_length=60)
    to_rung = models.CharField(max_length=60)
    changed_on = models.DateField()

    class Meta:
        ordering = ["changed_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_rung=F("to_rung")), name="rank_change_changes_rung"
            ),
            models.UniqueConstraint(
                fields=["profile", "to_rung", "changed_on"], name="rank_change_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_rung} → {self.to_rung} on {self.changed_on}"

    def is_promotion(self, program: Program) -> bool:
        before, after = program.stage_index(self.from_rung), program.stage_index(self.to_rung)
        return before is not None and after is not None and after > before


class FellowshipMatch(OutcomeBase):
    fellowship = models.CharField(max_length=200, help_text="Specialty and program matched to.")
    year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["year"]
        verbose_name = "fellowship match"
        verbose_name_plural = "fellowship matches"
        constraints = [
            models.UniqueConstraint(fields=["profile", "year"], name="fellowship_match_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.fellowship} ({self.year})"


class Publication(OutcomeBase):
    """A publication; DOI and PMID identify it, so importing the same list twice adds nothing."""

    title = models.CharField(max_length=1000)
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField()
    doi = models.CharField("DOI", max_length=200, blank=True)
    pmid = models.CharField("PMID", max_length=20, blank=True)

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "doi"], condition=~Q(doi=""), name="publication_doi_unique"
            ),
            models.UniqueConstraint(
                fields=["profile", "pmid"], condition=~Q(pmid=""), name="publication_pmid_unique"
            ),
            models.UniqueConstraint(
                "profile",
                Lower("title"),
                "year",
                condition=Q(doi="", pmid=""),
                name="publication_untagged_title_year_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Grant(OutcomeBase):
    class Role(models.TextChoices):
        PI = "pi", "Principal investigator"
        CO_PI = "co_pi", "Co-principal investigator"
        CO_I = "co_i", "Co-investigator"
        OTHER = "other", "Other role"

    funder = models.CharField(max_length=200)
    role = models.CharField(max_length=10, choices=Role.choices)
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-year", "funder"]
        constraints = [
            models.UniqueConstraint(
                "profile", Lower("funder"), "role", "year", Lower("title"), name="grant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.funder} ({self.year})"


class OutcomeImport(models.Model):
    """An uploaded outcomes CSV: previewed first, then applied all at once or not at all."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="outcome_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    content = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary: Any = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class ReportVersion(models.Model):
    """A saved version of a cohort's evaluation report.

    Who is in each group is fixed when it is saved (``membership``: user ids of participants
    and comparison), with the end of follow-up, so regenerating it gives the same figures
    however many people join the program afterwards. The rendered file is kept as saved.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="report_versions")
    number = models.PositiveIntegerField()
    as_of = models.DateField()
    membership: Any = models.JSONField()
    protocol_sha256 = models.CharField(max_length=64, blank=True)
    html = models.TextField()
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cohort", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="report_version_unique")
        ]

    def __str__(self) -> str:
        return f"Evaluation report of {self.cohort}, version {self.number}"
