"""Roster import: a CSV of people becomes accounts, profiles, enrolments and evaluator lines.

An import is planned first (a dry run listing who would be created, updated or left
unchanged, or every bad row with its line and column) and then applied all at once or not
at all; applying the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.engine.roster import RosterError, RosterRow, parse_roster
from tandem.programs import services
from tandem.programs.models import (
    Cohort,
    Enrollment,
    Exclusion,
    Invitation,
    Profile,
    Program,
    RosterImport,
)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# Profile fields a roster column can set; an empty cell never erases what a person entered.
PROFILE_COLUMNS = (
    "stage",
    "specialty",
    "institution",
    "offers",
    "seeks",
    "main_thing",
    "specialty_preference",
    "availability",
)


@dataclass
class RowPlan:
    line: int
    roster_id: str
    name: str
    email: str
    action: str
    changes: list[str] = field(default_factory=list)


@dataclass
class RosterPlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    new_evaluator_lines: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def as_summary(self) -> dict[str, Any]:
        return {
            "rows": [asdict(row) for row in self.rows],
            "errors": self.errors,
            "new_evaluator_lines": self.new_evaluator_lines,
            "counts": {action: self.count(action) for action in (CREATED, UPDATED, UNCHANGED)},
        }


def _parse(program: Program, content: str) -> tuple[list[RosterRow], list[RosterError]]:
    return parse_roster(
        content,
        ladder=list(program.ladder),
        topics=list(program.topics),
        require_contact=True,
        known_ids=_known_ids(program),
    )


def _known_ids(program: Program) -> set[str]:
    return set(
        Profile.objects.filter(program=program)
        .exclude(roster_id="")
        .values_list("roster_id", flat=True)
    )


def _people_outside(program: Program, rows: list[RosterRow]) -> dict[str, User]:
    """Users named in ``evaluates`` who are in the program but not in this file."""
    in_file = {row.id for row in rows}
    wanted = {other for row in rows for other in row.evaluates} - in_file
    profiles = Profile.objects.filter(program=program, roster_id__in=wanted).select_related("user")
    return {profile.roster_id: profile.user for profile in profiles}


def _error(line: int, column: str, message: str) -> dict[str, Any]:
    return {"line": line, "column": column, "message": message}


def _wanted_profile_values(row: RosterRow) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in PROFILE_COLUMNS:
        value = getattr(row, name)
        if isinstance(value, frozenset | set | tuple):
            value = sorted(value)
        # "any" is the default for an empty cell, so it never overrides a stated preference.
        if value and not (name == "specialty_preference" and value == "any"):
            values[name] = value
    return values


def _normalised(name: str, value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def _plan_rows(
    program: Program, cohort: Cohort, rows: list[RosterRow]
) -> tuple[RosterPlan, dict[str, User | None]]:
    plan = RosterPlan()
    emails = [row.email.lower() for row in rows]
    users_by_email = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
    profiles_by_roster_id = {
        profile.roster_id: profile
        for profile in Profile.objects.filter(program=program)
        .exclude(roster_id="")
        .select_related("user")
    }
    profiles_by_user = {
        profile.user_id: profile
        for profile in Profile.objects.filter(program=program, user__in=users_by_email.values())
    }
    enrolled = set(cohort.enrollments.values_list("user_id", flat=True))
    resolved: dict[str, User | None] = {}
    for row in rows:
        user = users_by_email.get(row.email.lower())
        by_id = profiles_by_roster_id.get(row.id)
        if by_id is not None and (user is None or by_id.user_id != user.pk):
            plan.errors.append(
                _error(
                    row.line,
                    "email",
                    f"id {row.id} already belongs to {by_id.user.email} in this program; "
                    "change the email in Tandem first or use that person's address.",
                )
            )
            continue
        profile = profiles_by_user.get(user.pk) if user else None
        if profile is not None and profile.roster_id not in ("", row.id):
            plan.errors.append(
                _error(
                    row.line,
                    "id",
                    f"{row.email} is already in this program as id {profile.roster_id}.",
                )
            )
            continue
        resolved[row.id] = user
        if user is None:
            plan.rows.append(RowPlan(row.line, row.id, row.name, row.email, CREATED))
            continue
        changes = []
        if row.name and row.name != user.full_name:
            changes.append("name")
        wanted = _wanted_profile_values(row)
        for name, value in wanted.items():
            current = getattr(profile, name) if profile else None
            if _normalised(name, current) != _normalised(name, value):
                changes.append(name.replace("_", " "))
        if profile is None or profile.roster_id != row.id:
            changes.append("id")
        if user.pk not in enrolled:
            changes.append("enrolment")
        action = UPDATED if changes else UNCHANGED
        plan.rows.append(RowPlan(row.line, row.id, row.name, row.email, action, changes))
    return plan, resolved


def _evaluator_lines(
    program: Program, rows: list[RosterRow], resolved: dict[str, User | None]
) -> tuple[list[tuple[str, str]], int]:
    """(evaluator roster id, evaluated roster id) pairs, and how many are new."""
    pairs = [(row.id, other) for row in rows for other in sorted(row.evaluates)]
    resolved = {**_people_outside(program, rows), **resolved}
    existing = set(
        Exclusion.objects.filter(program=program, reason=Exclusion.Reason.EVALUATOR).values_list(
            "person_id", "other_id"
        )
    )
    new = 0
    for evaluator, evaluated in pairs:
        a, b = resolved.get(evaluator), resolved.get(evaluated)
        if a is None or b is None or (a.pk, b.pk) not in existing:
            new += 1
    return pairs, new


def roster_plan(*, program: Program, cohort: Cohort, content: str) -> RosterPlan:
    """A dry run: what importing ``content`` into ``cohort`` would do. Writes nothing."""
    rows, errors = _parse(program, content)
    if not rows and not errors:
        errors = [RosterError(2, "", "the roster has a header but no people")]
    if errors:
        return RosterPlan(errors=[_error(e.line, e.column, e.message) for e in errors])
    plan, resolved = _plan_rows(program, cohort, rows)
    if plan.errors:
        return RosterPlan(errors=plan.errors)
    _, plan.new_evaluator_lines = _evaluator_lines(program, rows, resolved)
    return plan


def roster_preview(
    *, program: Program, cohort: Cohort, uploaded_by: User | None, filename: str, content: str
) -> RosterImport:
    plan = roster_plan(program=program, cohort=cohort, content=content)
    return RosterImport.objects.create(
        program=program,
        cohort=cohort,
        uploaded_by=uploaded_by,
        filename=filename,
        content=content,
        summary=plan.as_summary(),
    )


def roster_apply(*, roster_import: RosterImport, invite_new: bool, by: User | None) -> RosterPlan:
    """Apply a previewed import in one transaction: every row, or none if any is bad.

    The import row is locked so two clicks on Apply cannot import twice.
    """
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if locked.status != RosterImport.Status.PREVIEWED:
            raise ValidationError("This import has already been applied or discarded.")
        program, cohort = locked.program, locked.cohort
        rows, errors = _parse(program, locked.content)
        if errors:
            raise ValidationError("The roster has errors; nothing was imported.")
        plan, resolved = _plan_rows(program, cohort, rows)
        if plan.errors:
            raise ValidationError("The roster conflicts with people already in the program.")
        users = _apply_rows(program, cohort, rows, resolved, invite_new=invite_new, by=by)
        pairs, plan.new_evaluator_lines = _evaluator_lines(program, rows, dict(users))
        users.update(_people_outside(program, rows))
        for evaluator, evaluated in pairs:
            Exclusion.objects.get_or_create(
                program=program,
                person=users[evaluator],
                other=users[evaluated],
                reason=Exclusion.Reason.EVALUATOR,
            )
        locked.status = RosterImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.summary = plan.as_summary()
        locked.save(update_fields=["status", "applied_at", "summary"])
    return plan


def _apply_rows(
    program: Program,
    cohort: Cohort,
    rows: list[RosterRow],
    resolved: dict[str, User | None],
    *,
    invite_new: bool,
    by: User | None,
) -> dict[str, User]:
    users: dict[str, User] = {}
    for row in rows:
        user = resolved.get(row.id)
        created = user is None
        if user is None:
            user = User.objects.create_user(email=row.email, full_name=row.name)
        elif row.name and row.name != user.full_name:
            user.full_name = row.name
            user.save(update_fields=["full_name"])
        users[row.id] = user
        profile = services.profile_ensure(program=program, user=user)
        wanted = _wanted_profile_values(row)
        changed = profile.roster_id != row.id or any(
            _normalised(n, getattr(profile, n)) != _normalised(n, v) for n, v in wanted.items()
        )
        if changed:
            profile.roster_id = row.id
            for name, value in wanted.items():
                setattr(profile, name, value)
            profile.updated_at = timezone.now()
            profile.save()
        if not cohort.enrollments.filter(user=user).exists():
            services.enrollment_create(cohort=cohort, user=user, source=Enrollment.Source.ROSTER)
        if created and invite_new:
            services.invitation_create(
                program=program,
                cohort=cohort,
                email=user.email,
                role=Invitation.Role.PARTICIPANT,
                invited_by=by,
            )
    return users


def roster_discard(*, roster_import: RosterImport) -> None:
    if roster_import.status == RosterImport.Status.PREVIEWED:
        roster_import.status = RosterImport.Status.DISCARDED
        roster_import.save(update_fields=["status"])


def format_errors(errors: list[RosterError] | list[dict[str, Any]]) -> list[str]:
    lines = []
    for error in errors:
        item = error if isinstance(error, dict) else asdict(error)
        lines.append(f"line {item['line']}, column {item['column']}: {item['message']}")
    return lines
