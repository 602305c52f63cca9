"""First-contact checks, escalation of partnerships that never started, and no-fault rematches.

Every row holds dates, answers from a fixed list and ids, never anything a member wrote, so a
coordinator's at-risk list can be built from them without touching private content.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort, Program

CHECK_DAYS = (7, 14)
# The latest day any program's rule may name (the rematch day's upper bound).
LATEST_RULE_DAY = 365


class EngagementRules(models.Model):
    """A program's escalation days, counted from the day its partnerships start."""

    DEFAULT_AT_RISK_DAY = 21
    DEFAULT_REMATCH_DAY = 35

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="engagement_rules"
    )
    at_risk_day = models.PositiveSmallIntegerField(
        default=DEFAULT_AT_RISK_DAY,
        help_text="With no meeting logged and no first contact reported by this day, the "
        "partnership is at risk.",
    )
    rematch_day = models.PositiveSmallIntegerField(
        default=DEFAULT_REMATCH_DAY,
        help_text="Still nothing by this day, and the members are offered a no-fault rematch.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # The last check (day 14) comes before anyone is called at risk.
            models.CheckConstraint(
                condition=Q(at_risk_day__gte=15) & Q(at_risk_day__lte=180),
                name="engagement_at_risk_day_range",
            ),
            models.CheckConstraint(
                condition=Q(rematch_day__gt=F("at_risk_day")) & Q(rematch_day__lte=LATEST_RULE_DAY),
                name="engagement_rematch_after_at_risk",
            ),
        ]

    def __str__(self) -> str:
        return f"Engagement rules of {self.program}"


class ContactCheck(models.Model):
    """The question "Have you two met yet?" put to one member on day 7 or 14."""

    class Answer(models.TextChoices):
        YES = "yes", "Yes, we have met"
        NOT_YET = "not_yet", "Not yet"
        PROBLEM = "problem", "There is a problem"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="contact_checks"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_checks"
    )
    day = models.PositiveSmallIntegerField()
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=8, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The one nudge to the partner this check allows.
    nudged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "member", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "member", "day"], name="contact_check_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(answer="") | Q(answered_at__isnull=False),
                name="contact_check_answer_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Day-{self.day} check of {self.member} in partnership #{self.partnership_id}"


class Escalation(models.Model):
    """A partnership reached a rule's day without a first contact; raised once per level."""

    class Level(models.TextChoices):
        AT_RISK = "at_risk", "At risk"
        REMATCH = "rematch", "Rematch offered"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="escalations"
    )
    level = models.CharField(max_length=8, choices=Level.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    # Set when a first contact or a meeting came after all: the partnership was rescued.
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "level"], name="escalation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: partnership #{self.partnership_id}"


class Rematch(models.Model):
    """A partnership ended through a no-fault rematch: its members go back with priority.

    Who asked is kept for the member's own page only; no coordinator page shows it.
    """

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="rematch"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Rematch of partnership #{self.partnership_id}"
