"""Roster import: a CSV of people becomes invitations, enrolments and evaluator lines.

An import is planned first (a dry run listing who will be invited, updated or left unchanged,
or every bad row with its line and column) and then applied all at once or not at all;
applying the same file again changes nothing. It never creates or changes an account: people
not yet in the program are invited and join when they accept, so neither the plan nor its
result tells whether an address already has an account.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.accounts.selectors import unconfirmed_user_ids
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.engine.roster import RosterError, RosterRow, parse_roster
from tandem.programs import services
from tandem.programs.models import (
    Cohort,
    Enrollment,
    Exclusion,
    Invitation,
    PendingEvaluatorLine,
    Profile,
    Program,
    RosterImport,
)

INVITED, UPDATED, UNCHANGED = "invited", "updated", "unchanged"
ACTIONS = (INVITED, UPDATED, UNCHANGED)
# Profile fields a roster column can set; an empty cell never erases what a person entered.
PROFILE_COLUMNS = services.ROSTER_PROFILE_FIELDS


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
            "counts": {action: self.count(action) for action in ACTIONS},
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


@dataclass
class Resolution:
    """Who each roster id is: a member of the program, or a person to invite."""

    members: dict[str, User] = field(default_factory=dict)
    invitations: dict[str, Invitation | None] = field(default_factory=dict)


def _members_by_email(program: Program, emails: list[str]) -> dict[str, Profile]:
    """Program members (with a proved address) among ``emails``; nobody outside the program."""
    profiles = list(
        Profile.objects.filter(program=program, user__email__in=emails).select_related("user")
    )
    unproved = unconfirmed_user_ids([profile.user_id for profile in profiles])
    return {
        profile.user.email.lower(): profile
        for profile in profiles
        if profile.user_id not in unproved
    }


def _pending_invitations(program: Program) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            program=program,
            role=Invitation.Role.PARTICIPANT,
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("created_at")
    )


def _invited_values(invitation: Invitation) -> dict[str, Any]:
    return {"roster_id": invitation.roster_id, **invitation.profile_values}


def _plan_rows(
    program: Program, cohort: Cohort, rows: list[RosterRow]
) -> tuple[RosterPlan, Resolution]:
    plan, resolution = RosterPlan(), Resolution()
    members = _members_by_email(program, [row.email.lower() for row in rows])
    profiles_by_roster_id = {
        profile.roster_id: profile
        for profile in Profile.objects.filter(program=program)
        .exclude(roster_id="")
        .select_related("user")
    }
    pending = _pending_invitations(program)
    invited_ids = {inv.roster_id: inv for inv in pending if inv.roster_id}
    invited_emails = {inv.email: inv for inv in pending if inv.roster_id}
    in_cohort = {inv.email: inv for inv in pending if inv.cohort_id == cohort.pk}
    # Anyone with an enrolment row, withdrawn included: an import does not undo a withdrawal.
    enrolled = set(cohort.enrollments.values_list("user_id", flat=True))
    for row in rows:
        email = row.email.lower()
        by_id = profiles_by_roster_id.get(row.id)
        if by_id is not None and by_id.user.email.lower() != email:
            plan.errors.append(
                _error(
                    row.line,
                    "email",
                    f"id {row.id} already belongs to {by_id.user.email} in this program; "
                    "change the email in Tandem first or use that person's address.",
                )
            )
            continue
        invited_as = invited_ids.get(row.id)
        if by_id is None and invited_as is not None and invited_as.email != email:
            plan.errors.append(
                _error(
                    row.line,
                    "email",
                    f"id {row.id} is already in an invitation to {invited_as.email}; "
                    "use that address or wait until the invitation expires.",
                )
            )
            continue
        profile = members.get(email)
        earlier = invited_emails.get(email)
        other_id = (profile.roster_id if profile else "") or (earlier.roster_id if earlier else "")
        if other_id not in ("", row.id):
            plan.errors.append(
                _error(row.line, "id", f"{row.email} is already in this program as id {other_id}.")
            )
            continue
        wanted = _wanted_profile_values(row)
        if profile is not None:
            resolution.members[row.id] = profile.user
            changes = [
                name.replace("_", " ")
                for name, value in wanted.items()
                if _normalised(name, getattr(profile, name)) != _normalised(name, value)
            ]
            if profile.roster_id != row.id:
                changes.append("id")
            if profile.user_id not in enrolled:
                changes.append("enrolment")
            action = UPDATED if changes else UNCHANGED
            plan.rows.append(RowPlan(row.line, row.id, row.name, row.email, action, changes))
            continue
        invitation = in_cohort.get(email)
        resolution.invitations[row.id] = invitation
        if invitation is None:
            plan.rows.append(RowPlan(row.line, row.id, row.name, row.email, INVITED))
            continue
        stored = _invited_values(invitation)
        changes = [
            name.replace("_", " ")
            for name, value in {"roster_id": row.id, **wanted}.items()
            if _normalised(name, stored.get(name)) != _normalised(name, value)
        ]
        if row.name != invitation.full_name:
            changes.append("name")
        action = UPDATED if changes else UNCHANGED
        plan.rows.append(RowPlan(row.line, row.id, row.name, row.email, action, changes))
    return plan, resolution


def _evaluator_lines(
    program: Program, rows: list[RosterRow], members: dict[str, User]
) -> tuple[list[tuple[str, str]], int]:
    """(evaluator roster id, evaluated roster id) pairs, and how many are new."""
    pairs = [(row.id, other) for row in rows for other in sorted(row.evaluates)]
    members = {**_people_outside(program, rows), **members}
    existing = set(
        Exclusion.objects.filter(program=program, reason=Exclusion.Reason.EVALUATOR).values_list(
            "person_id", "other_id"
        )
    )
    waiting = set(
        PendingEvaluatorLine.objects.filter(program=program).values_list(
            "evaluator_roster_id", "evaluated_roster_id"
        )
    )
    new = 0
    for evaluator, evaluated in pairs:
        a, b = members.get(evaluator), members.get(evaluated)
        if a is not None and b is not None:
            new += (a.pk, b.pk) not in existing
        else:
            new += (evaluator, evaluated) not in waiting
    return pairs, new


def roster_plan(*, program: Program, cohort: Cohort, content: str) -> RosterPlan:
    """A dry run: what importing ``content`` into ``cohort`` would do. Writes nothing."""
    rows, errors = _parse(program, content)
    if not rows and not errors:
        errors = [RosterError(2, "", "the roster has a header but no people")]
    if errors:
        return RosterPlan(errors=[_error(e.line, e.column, e.message) for e in errors])
    plan, resolution = _plan_rows(program, cohort, rows)
    if plan.errors:
        return RosterPlan(errors=plan.errors)
    _, plan.new_evaluator_lines = _evaluator_lines(program, rows, resolution.members)
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


def roster_apply(*, roster_import: RosterImport, by: User | None) -> RosterPlan:
    """Apply a previewed import in one transaction: every row, or none if any is bad.

    Members of the program get the row's profile values and are enrolled; everyone else gets
    an invitation carrying the row, emailed after commit. The import row is locked so two
    clicks on Apply cannot import twice.
    """
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if locked.status != RosterImport.Status.PREVIEWED:
            raise ValidationError("This import has already been applied or discarded.")
        program, cohort = locked.program, locked.cohort
        rows, errors = _parse(program, locked.content)
        if errors:
            raise ValidationError("The roster has errors; nothing was imported.")
        plan, resolution = _plan_rows(program, cohort, rows)
        if plan.errors:
            raise ValidationError("The roster conflicts with people already in the program.")
        _apply_rows(program, cohort, rows, resolution, by=by)
        pairs, plan.new_evaluator_lines = _evaluator_lines(program, rows, resolution.members)
        members = {**_people_outside(program, rows), **resolution.members}
        for evaluator, evaluated in pairs:
            a, b = members.get(evaluator), members.get(evaluated)
            if a is not None and b is not None:
                Exclusion.objects.get_or_create(
                    program=program, person=a, other=b, reason=Exclusion.Reason.EVALUATOR
                )
            else:
                PendingEvaluatorLine.objects.get_or_create(
                    program=program, evaluator_roster_id=evaluator, evaluated_roster_id=evaluated
                )
        locked.status = RosterImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.summary = plan.as_summary()
        locked.save(update_fields=["status", "applied_at", "summary"])
        audit_record(
            action=AuditEvent.Action.OTHER,
            actor=by,
            target=locked,
            event="roster_imported",
            cohort=cohort.pk,
            invited=plan.count(INVITED),
            updated=plan.count(UPDATED),
            unchanged=plan.count(UNCHANGED),
        )
    return plan


def _apply_rows(
    program: Program,
    cohort: Cohort,
    rows: list[RosterRow],
    resolution: Resolution,
    *,
    by: User | None,
) -> None:
    for row in rows:
        wanted = _wanted_profile_values(row)
        user = resolution.members.get(row.id)
        if user is None:
            _invite(program, cohort, row, wanted, resolution.invitations.get(row.id), by=by)
            continue
        # A member's account (name, address) is theirs: only the program's profile changes.
        profile = services.profile_ensure(program=program, user=user)
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


def _invite(
    program: Program,
    cohort: Cohort,
    row: RosterRow,
    wanted: dict[str, Any],
    invitation: Invitation | None,
    *,
    by: User | None,
) -> None:
    """Invite a person who is not in the program, or bring their pending invitation up to date."""
    if invitation is None:
        services.invitation_create(
            program=program,
            cohort=cohort,
            email=row.email,
            role=Invitation.Role.PARTICIPANT,
            invited_by=by,
            full_name=row.name,
            roster_id=row.id,
            profile_values=wanted,
        )
        return
    invitation.full_name, invitation.roster_id = row.name, row.id
    invitation.profile_values = {**invitation.profile_values, **wanted}
    invitation.save(update_fields=["full_name", "roster_id", "profile_values"])


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
