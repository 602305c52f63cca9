"""A cohort's study protocol, the arm each consenting participant was randomised to, and the
history of research consent. Consent to research is separate from taking part in the program.

The protocol is written before the cohort starts and is read-only once the start date passes
or randomisation has run, so outcomes cannot be changed after the data come in.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.programs.models import Cohort


def new_seed() -> int:
    return secrets.randbelow(2**31)


class StudyProtocol(models.Model):
    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="study_protocol")
    title = models.CharField(max_length=200)
    information = models.TextField(
        help_text="What participants read before they consent: purpose, what data, who sees it, "
        "how to withdraw."
    )
    outcomes = models.TextField(
        help_text="The registered outcomes, one per line, each with its time window "
        "(for example: Retention at 12 months)."
    )
    seed = models.PositiveIntegerField(
        default=new_seed, help_text="Randomisation seed: the same seed gives the same arms."
    )
    longitudinal = models.BooleanField(
        default=False,
        help_text="The study follows people across exports: each keeps one study id in every "
        "export. Otherwise every export gets fresh study ids, so two exports cannot be joined.",
    )
    randomised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Study protocol of {self.cohort}"

    @property
    def is_locked(self) -> bool:
        """Read-only once the cohort has started or participants have been randomised."""
        return self.randomised_at is not None or self.cohort.starts_on <= timezone.localdate()

    @property
    def registered_outcomes(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]


class Arm(models.TextChoices):
    MATCHED_NOW = "matched_now", "Matched now"
    WAITLIST = "waitlist", "Waitlist"


class StudyAllocation(models.Model):
    """The arm one consenting participant was randomised to, and the stratum they were in."""

    protocol = models.ForeignKey(
        StudyProtocol, on_delete=models.CASCADE, related_name="allocations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    arm = models.CharField(max_length=12, choices=Arm.choices)
    stratum = models.CharField(max_length=200)
    allocated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["protocol", "user"], name="allocation_once_per_study")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.get_arm_display()}"


class ResearchConsent(models.Model):
    """One decision in a person's consent history; the latest one is what counts."""

    class Decision(models.TextChoices):
        CONSENTED = "consented", "Consented"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrew"

    protocol = models.ForeignKey(StudyProtocol, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_consents"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["protocol", "user", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_decision_display()}"
