"""Match rounds: a coordinator's run of the matching engine over a cohort, and its groups.

A run snapshots the engine's input when it starts, so executing it again (after a failure or
a killed worker) with the same seed gives the same groups. Publishing turns its groups into
proposed partnerships.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort


class MatchRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FAILED = "failed", "Failed"
        DRAFT = "draft", "Draft"
        REVIEWED = "reviewed", "Reviewed"
        PUBLISHED = "published", "Published"

    class MutualObjective(models.TextChoices):
        FEWEST_BLOCKING = "fewest_blocking", "Fewest blocking pairs"
        HIGHEST_SCORE = "highest_score", "Highest score"

    EDITABLE = (Status.DRAFT, Status.REVIEWED)
    # Seeds run from 0 to this: within the positive integer column on every database.
    SEED_MAX = 2_000_000_000

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="match_runs")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    mode = models.CharField(max_length=10, choices=Cohort.Mode.choices)
    weights: Any = models.JSONField(default=dict)
    seed = models.PositiveIntegerField(default=0)
    allow_previous_partners = models.BooleanField(default=False)
    # Mutual-choice rounds without a stable matching: what the coordinator puts first.
    mutual_objective = models.CharField(
        max_length=20, choices=MutualObjective.choices, default=MutualObjective.FEWEST_BLOCKING
    )
    # The engine's input as it was when the run started (participants, forbidden pairs).
    participants: Any = models.JSONField(default=list)
    forbidden: Any = models.JSONField(default=list)
    # Coordinator constraints: lists of user-id lists kept together, and user-id pairs kept apart.
    locks: Any = models.JSONField(default=list, blank=True)
    forbids: Any = models.JSONField(default=list, blank=True)
    metrics: Any = models.JSONField(default=dict, blank=True)
    unmatched: Any = models.JSONField(default=list, blank=True)
    notes: Any = models.JSONField(default=list, blank=True)
    progress_stage = models.CharField(max_length=40, blank=True)
    progress = models.FloatField(default=0.0)
    error = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"Match run #{self.pk} of {self.cohort}"

    @property
    def size(self) -> int:
        return len(self.participants)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int:
        return round(100 * max(0.0, min(1.0, self.progress)))


class MatchGroup(models.Model):
    """One proposed pair, triad or circle of a run, with its score and explanation."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveIntegerField(default=0)
    member_ids: Any = models.JSONField(default=list)
    score = models.FloatField(default=0.0)
    components: Any = models.JSONField(default=dict)
    # For coordinators, in the third person ("Both want to …").
    reasons: Any = models.JSONField(default=list)
    # The same reasons as each member reads them ("You both want to …"), by user id.
    member_reasons: Any = models.JSONField(default=dict, blank=True)
    warnings: Any = models.JSONField(default=list)
    violations: Any = models.JSONField(default=list, blank=True)
    locked = models.BooleanField(default=False)
    partnership = models.OneToOneField(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="match_group",
    )

    class Meta:
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return f"Group {self.position + 1} of run #{self.run_id}"

    def reasons_for(self, user_id: int) -> list[str]:
        """The reasons as this member reads them; older runs kept only the coordinator's."""
        return list(self.member_reasons.get(str(user_id)) or self.reasons)


class Placement(models.Model):
    """A coordinator's request to place a late joiner into an existing partnership.

    Every current member is asked; the newcomer joins only when all of them agree, and one
    "no" cancels the placement without saying whose it was.
    """

    class Status(models.TextChoices):
        ASKING = "asking", "Waiting for the members"
        AGREED = "agreed", "Everyone agreed"
        NOT_AGREED = "not_agreed", "Did not go ahead"
        CANCELLED = "cancelled", "Cancelled"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="placements"
    )
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placements"
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASKING)
    reasons: Any = models.JSONField(default=list, blank=True)
    member_reasons: Any = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(status="asking"),
                name="one_open_placement_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["cohort", "newcomer"],
                condition=models.Q(status="asking"),
                name="one_open_placement_per_newcomer",
            ),
            models.CheckConstraint(
                condition=~models.Q(newcomer=models.F("placed_by")),
                name="nobody_places_themself",
            ),
        ]

    def __str__(self) -> str:
        return f"Placement #{self.pk} into partnership #{self.partnership_id}"

    def reasons_for(self, user_id: int) -> list[str]:
        """The reasons as this member reads them; older placements kept only one list."""
        return list(self.member_reasons.get(str(user_id)) or self.reasons)


class PlacementConsent(models.Model):
    """One current member's answer to a placement."""

    class Answer(models.TextChoices):
        PENDING = "pending", "Not answered yet"
        YES = "yes", "Agreed"
        NO = "no", "Did not agree"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="consents")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placement_consents"
    )
    answer = models.CharField(max_length=8, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["placement", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "member"], name="consent_once_per_member")
        ]

    def __str__(self) -> str:
        return f"Consent of {self.member} to placement #{self.placement_id}"
