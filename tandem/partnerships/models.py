"""Partnerships: a pair, a triad or a circle of peers in one cohort, and their members.

A partnership is proposed by a published match, becomes active when every member accepts,
and ends by decline, by a member's no-fault exit, or when the cohort closes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.programs.models import Cohort


class Partnership(models.Model):
    class Kind(models.TextChoices):
        PAIR = "pair", "Pair"
        TRIAD = "triad", "Triad"
        CIRCLE = "circle", "Circle"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Not taken up"
        EXITED = "exited", "Ended"
        CLOSED = "closed", "Closed"

    LIVE_STATUSES = (Status.PROPOSED, Status.ACTIVE)

    # Set by the workspace door for the member reading: they see only what was written from
    # this moment (a late joiner's join time); ``None`` shows everything.
    visible_since: dt.datetime | None = None

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="partnerships")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PAIR)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(default=timezone.now)
    respond_by = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} in {self.cohort}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    @property
    def is_read_only(self) -> bool:
        return self.status != self.Status.ACTIVE


class PartnershipMember(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_memberships"
    )
    # Copied from the partnership so the database can enforce one live partnership per cohort.
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    is_current = models.BooleanField(default=True)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # A late joiner reads only what was written from the moment every member agreed.
    visible_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="member_once_per_partnership"
            ),
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=Q(is_current=True),
                name="one_live_partnership_per_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in partnership #{self.partnership_id}"

    @property
    def state(self) -> str:
        """proposed, accepted, declined, lapsed or exited: the words of the access rule."""
        if self.response == self.Response.DECLINED:
            return "declined"
        if self.is_current:
            return "accepted" if self.response == self.Response.ACCEPTED else "proposed"
        return "exited" if self.response == self.Response.ACCEPTED else "lapsed"
