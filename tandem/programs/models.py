"""Programs, their cohorts, the people enrolled in them and the roles that run them.

Everything here is operational data (P2): coordinators of the program see it; participants
see their own profile and what the matching shares with their partners.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tandem.engine.defaults import DEFAULT_LADDER, DEFAULT_TOPICS, DEFAULT_WEIGHTS


def default_ladder() -> list[str]:
    return list(DEFAULT_LADDER)


def default_topics() -> list[str]:
    return list(DEFAULT_TOPICS)


def default_match_weights() -> dict[str, float]:
    return dict(DEFAULT_WEIGHTS)


def new_join_token() -> str:
    return secrets.token_urlsafe(16)


class Program(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    institution = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    topics = models.JSONField(default=default_topics)
    ladder = models.JSONField(default=default_ladder, help_text="Career stages, junior first.")
    max_stage_gap = models.PositiveSmallIntegerField(default=1)
    retention_days = models.PositiveIntegerField(
        default=365, help_text="Days a closed partnership's private content stays readable."
    )
    require_mfa_for_staff = models.BooleanField(
        "require two-factor authentication for coordinators and researchers",
        default=False,
        help_text="Coordinators and researchers must set up an authenticator app or a security "
        "key before they can use Tandem.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def stage_index(self, label: str) -> int | None:
        lowered = label.strip().lower()
        for index, rung in enumerate(self.ladder):
            if rung.lower() == lowered:
                return index
        return None


class ProgramRole(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Coordinator"
        RESEARCHER = "researcher", "Researcher"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user", "role"], name="program_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.program}"


class Cohort(models.Model):
    class Mode(models.TextChoices):
        PAIRS = "pairs", "Pairs"
        CIRCLES = "circles", "Circles (3–5)"
        MUTUAL = "mutual", "Mutual choice"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    starts_on = models.DateField()
    ends_on = models.DateField()
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.PAIRS)
    enrolment_open = models.BooleanField(default=True)
    join_token = models.CharField(max_length=40, unique=True, default=new_join_token)
    created_at = models.DateTimeField(default=timezone.now)
    # How match rounds score and propose; the weights start as the engine's defaults.
    match_weights = models.JSONField(default=default_match_weights)
    response_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days participants have to accept or decline a proposed match."
    )
    allow_previous_partners = models.BooleanField(
        default=False,
        help_text="Allow people who were partners in an earlier cohort to be matched again.",
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="cohort_slug_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name}: {self.name}"


class Profile(models.Model):
    """A person's profile within one program (the ladder and topic list are the program's)."""

    class SpecialtyPreference(models.TextChoices):
        ANY = "any", "No preference"
        SAME = "same", "Someone in my specialty"
        DIFFERENT = "different", "Someone outside my specialty"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="profiles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiles"
    )
    roster_id = models.CharField(max_length=100, blank=True)
    stage = models.CharField(max_length=60, blank=True)
    specialty = models.CharField(max_length=120, blank=True)
    institution = models.CharField(max_length=200, blank=True)
    offers = models.JSONField(default=list, blank=True)
    seeks = models.JSONField(default=list, blank=True)
    main_thing = models.CharField(max_length=300, blank=True)
    specialty_preference = models.CharField(
        max_length=10, choices=SpecialtyPreference.choices, default=SpecialtyPreference.ANY
    )
    availability = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="profile_one_per_program"),
            models.UniqueConstraint(
                fields=["program", "roster_id"],
                condition=~Q(roster_id=""),
                name="profile_roster_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.program}"

    COMPLETENESS_FIELDS = (
        "stage",
        "specialty",
        "institution",
        "offers",
        "seeks",
        "main_thing",
        "availability",
    )

    @property
    def missing_fields(self) -> list[str]:
        return [name for name in self.COMPLETENESS_FIELDS if not getattr(self, name)]

    @property
    def completeness(self) -> int:
        """Percentage of the profile's matching fields that are filled in."""
        filled = len(self.COMPLETENESS_FIELDS) - len(self.missing_fields)
        return round(100 * filled / len(self.COMPLETENESS_FIELDS))

    @property
    def is_complete(self) -> bool:
        return not self.missing_fields


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Enrolled"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Source(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        SELF = "self", "Self-enrolled"
        ROSTER = "roster", "Roster import"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=12, choices=Source.choices)
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="enrollment_once_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"


class Invitation(models.Model):
    """An emailed link that lets a person sign up (or sign in) and take a role."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", "Participant"
        COORDINATOR = "coordinator", "Coordinator"
        RESEARCHER = "researcher", "Researcher"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PARTICIPANT)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    # From a roster row: the name offered on the sign-up form (never written to an existing
    # account), and the id and profile values the program keeps once the person accepts.
    full_name = models.CharField(max_length=200, blank=True)
    roster_id = models.CharField(max_length=100, blank=True)
    profile_values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="participant") | Q(cohort__isnull=False),
                name="participant_invitation_names_cohort",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.program}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class Exclusion(models.Model):
    """A pair that must never be matched: an evaluator line or a blocked pair."""

    class Reason(models.TextChoices):
        EVALUATOR = "evaluator", "Evaluates or supervises"
        BLOCKED = "blocked", "Blocked pair"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exclusions_made"
    )
    other = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exclusions_received"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(person=F("other")), name="exclusion_not_self"),
            models.UniqueConstraint(
                fields=["program", "person", "other", "reason"], name="exclusion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.other}: {self.get_reason_display()}"


class PendingEvaluatorLine(models.Model):
    """An evaluator line from a roster, named by roster ids, waiting for an invited person.

    It becomes an :class:`Exclusion` as soon as both people are in the program.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="pending_evaluator_lines"
    )
    evaluator_roster_id = models.CharField(max_length=100)
    evaluated_roster_id = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "evaluator_roster_id", "evaluated_roster_id"],
                name="pending_evaluator_line_unique",
            ),
            models.CheckConstraint(
                condition=~Q(evaluator_roster_id=F("evaluated_roster_id")),
                name="pending_evaluator_line_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator_roster_id} evaluates {self.evaluated_roster_id}"


class RosterImport(models.Model):
    """An uploaded roster: previewed first, then applied all at once or not at all."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roster_imports")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="roster_imports")
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
