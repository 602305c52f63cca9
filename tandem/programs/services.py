"""Writes for programs, cohorts, roles, invitations, enrolments and profiles.

Each function is one business action; views, the API and commands call these and nothing
else writes these models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from tandem.accounts.models import User
from tandem.accounts.selectors import email_confirmed
from tandem.accounts.services import email_mark_confirmed
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.mail import send_email_on_commit
from tandem.core.tokens import hash_secret, new_secret
from tandem.programs import policies
from tandem.programs.models import (
    Cohort,
    Enrollment,
    Exclusion,
    Invitation,
    PendingEvaluatorLine,
    Profile,
    Program,
    ProgramRole,
)

INVITATION_LIFETIME = dt.timedelta(days=30)
AVAILABILITY_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AVAILABILITY_PARTS = ("am", "pm", "eve")
AVAILABILITY_SLOTS = tuple(
    f"{day}-{part}" for day in AVAILABILITY_DAYS for part in AVAILABILITY_PARTS
)
# Profile fields a roster row can set; an invitation keeps them until the person accepts.
ROSTER_PROFILE_FIELDS = (
    "stage",
    "specialty",
    "institution",
    "offers",
    "seeks",
    "main_thing",
    "specialty_preference",
    "availability",
)
UNCONFIRMED_EMAIL = (
    "Confirm your email address first: open the link we sent to it, then join the cohort."
)


def _clean_list(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen.append(value)
    return seen


def program_validate(*, ladder: list[str], topics: list[str], max_stage_gap: int) -> None:
    errors: dict[str, str] = {}
    if len(ladder) < 1:
        errors["ladder"] = "The career ladder needs at least one stage."
    elif len({rung.lower() for rung in ladder}) != len(ladder):
        errors["ladder"] = "Each stage on the ladder must be different."
    if len({topic.lower() for topic in topics}) != len(topics):
        errors["topics"] = "Each topic must be different."
    if max_stage_gap < 0:
        errors["max_stage_gap"] = "The stage gap cannot be negative."
    if errors:
        raise ValidationError(errors)


def program_create(
    *,
    creator: User,
    name: str,
    slug: str = "",
    institution: str = "",
    description: str = "",
    topics: list[str],
    ladder: list[str],
    max_stage_gap: int = 1,
    retention_days: int = 365,
    require_mfa_for_staff: bool = False,
) -> Program:
    """Create a program; its creator becomes its first coordinator."""
    topics, ladder = _clean_list(topics), _clean_list(ladder)
    program_validate(ladder=ladder, topics=topics, max_stage_gap=max_stage_gap)
    slug = slug or slugify(name)[:60]
    if Program.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"A program with the short name “{slug}” exists already."})
    with transaction.atomic():
        program = Program.objects.create(
            name=name,
            slug=slug,
            institution=institution,
            description=description,
            topics=topics,
            ladder=ladder,
            max_stage_gap=max_stage_gap,
            retention_days=retention_days,
            require_mfa_for_staff=require_mfa_for_staff,
            created_by=creator,
        )
        role_grant(program=program, user=creator, role=ProgramRole.Role.COORDINATOR, actor=creator)
    return program


def program_update(*, program: Program, **fields: Any) -> Program:
    fields["topics"] = _clean_list(fields.get("topics", program.topics))
    fields["ladder"] = _clean_list(fields.get("ladder", program.ladder))
    program_validate(
        ladder=fields["ladder"],
        topics=fields["topics"],
        max_stage_gap=fields.get("max_stage_gap", program.max_stage_gap),
    )
    for name, value in fields.items():
        setattr(program, name, value)
    program.save()
    return program


def role_grant(
    *, program: Program, user: User, role: str, actor: User | None = None
) -> ProgramRole:
    """Give ``user`` a role in ``program`` (idempotent); a new grant goes into the audit log."""
    grant, created = ProgramRole.objects.get_or_create(program=program, user=user, role=role)
    if created:
        audit_record(
            action=AuditEvent.Action.ROLE_GRANTED,
            actor=actor,
            target=grant,
            role=role,
            program=program.pk,
            user=user.pk,
        )
    return grant


def role_revoke(*, program: Program, user: User, role: str, actor: User | None = None) -> None:
    if policies.revoke_leaves_no_coordinator(program, user, role):
        raise ValidationError("A program needs at least one coordinator.")
    deleted, _ = ProgramRole.objects.filter(program=program, user=user, role=role).delete()
    if deleted:
        audit_record(
            action=AuditEvent.Action.ROLE_REVOKED,
            actor=actor,
            target_type="programs.programrole",
            role=role,
            program=program.pk,
            user=user.pk,
        )


def cohort_create(
    *,
    program: Program,
    name: str,
    slug: str = "",
    starts_on: dt.date,
    ends_on: dt.date,
    mode: str = Cohort.Mode.PAIRS,
    enrolment_open: bool = True,
) -> Cohort:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The cohort must end on or after the day it starts."})
    slug = slug or slugify(name)[:60]
    if program.cohorts.filter(slug=slug).exists():
        raise ValidationError({"slug": f"This program already has a cohort called “{slug}”."})
    return Cohort.objects.create(
        program=program,
        name=name,
        slug=slug,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        enrolment_open=enrolment_open,
    )


def cohort_update(*, cohort: Cohort, **fields: Any) -> Cohort:
    starts_on = fields.get("starts_on", cohort.starts_on)
    ends_on = fields.get("ends_on", cohort.ends_on)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The cohort must end on or after the day it starts."})
    for name, value in fields.items():
        setattr(cohort, name, value)
    cohort.save()
    return cohort


def profile_ensure(*, program: Program, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(program=program, user=user)
    return profile


def enrollment_create(*, cohort: Cohort, user: User, source: str) -> Enrollment:
    """Enrol a person in a cohort (idempotent) and give them a profile in its program."""
    with transaction.atomic():
        profile_ensure(program=cohort.program, user=user)
        enrollment, created = Enrollment.objects.get_or_create(
            cohort=cohort, user=user, defaults={"source": source}
        )
        if not created and enrollment.status != Enrollment.Status.ACTIVE:
            enrollment.status = Enrollment.Status.ACTIVE
            enrollment.save(update_fields=["status"])
    return enrollment


def enrollment_self_enrol(*, cohort: Cohort, user: User) -> Enrollment:
    """Join an open cohort; only with a proved address, so nobody joins as someone else."""
    if not cohort.enrolment_open:
        raise ValidationError("Enrolment in this cohort is closed.")
    if not email_confirmed(user):
        raise ValidationError(UNCONFIRMED_EMAIL)
    return enrollment_create(cohort=cohort, user=user, source=Enrollment.Source.SELF)


def enrollment_withdraw(*, enrollment: Enrollment) -> Enrollment:
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save(update_fields=["status"])
    return enrollment


def invitation_create(
    *,
    program: Program,
    email: str,
    role: str = Invitation.Role.PARTICIPANT,
    cohort: Cohort | None = None,
    invited_by: User | None,
    send: bool = True,
    full_name: str = "",
    roster_id: str = "",
    profile_values: dict[str, Any] | None = None,
) -> tuple[Invitation, str]:
    """Create an invitation and email its link after commit; returns it with the raw token.

    A roster row's name, id and profile values travel with it and take effect on acceptance.
    """
    if policies.invites_participant(role) and cohort is None:
        raise ValidationError({"cohort": "A participant is invited into a cohort."})
    if cohort is not None and cohort.program_id != program.pk:
        raise ValidationError({"cohort": "That cohort belongs to another program."})
    token = new_secret()
    invitation = Invitation.objects.create(
        program=program,
        cohort=cohort,
        email=email.strip().lower(),
        role=role,
        token_hash=hash_secret(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
        full_name=full_name,
        roster_id=roster_id,
        profile_values=profile_values or {},
    )
    if send:
        send_email_on_commit(
            to=[invitation.email],
            template="programs/email/invitation",
            context={"invitation": invitation, "token": token, "inviter": invited_by},
        )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("program", "cohort")
        .filter(token_hash=hash_secret(token))
        .first()
    )


def invitation_accept(*, invitation: Invitation, user: User) -> None:
    """Give ``user`` what the invitation offers; it must be addressed to their email.

    Only its emailed link leads here, so accepting proves the address. The invitation is
    locked so that two clicks accept it once.
    """
    if not invitation.is_usable:
        raise ValidationError("This invitation has expired or has been used already.")
    if invitation.email.lower() != user.email.lower():
        raise ValidationError("This invitation was sent to a different email address.")
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise ValidationError("This invitation has been used already.")
        email_mark_confirmed(user=user)
        if policies.invites_participant(invitation.role):
            assert invitation.cohort is not None
            enrollment_create(
                cohort=invitation.cohort, user=user, source=Enrollment.Source.INVITATION
            )
            _profile_take_roster_row(invitation=invitation, user=user)
        else:
            role_grant(
                program=invitation.program,
                user=user,
                role=invitation.role,
                actor=invitation.invited_by,
            )
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])


def _profile_take_roster_row(*, invitation: Invitation, user: User) -> None:
    """Give the accepted person's profile the id and values their roster row carried."""
    if not invitation.roster_id and not invitation.profile_values:
        return
    program = invitation.program
    profile = profile_ensure(program=program, user=user)
    id_taken = (
        Profile.objects.filter(program=program, roster_id=invitation.roster_id)
        .exclude(pk=profile.pk)
        .exists()
    )
    if invitation.roster_id and not profile.roster_id and not id_taken:
        profile.roster_id = invitation.roster_id
    for name, value in invitation.profile_values.items():
        if name in ROSTER_PROFILE_FIELDS and value:
            setattr(profile, name, value)
    profile.updated_at = timezone.now()
    profile.save()
    evaluator_lines_settle(program=program)


def evaluator_lines_settle(*, program: Program) -> int:
    """Turn pending evaluator lines whose two people are now in the program into exclusions."""
    people = dict(
        Profile.objects.filter(program=program)
        .exclude(roster_id="")
        .values_list("roster_id", "user_id")
    )
    settled = 0
    for line in PendingEvaluatorLine.objects.filter(program=program):
        evaluator = people.get(line.evaluator_roster_id)
        evaluated = people.get(line.evaluated_roster_id)
        if evaluator is None or evaluated is None:
            continue
        if evaluator != evaluated:
            Exclusion.objects.get_or_create(
                program=program,
                person_id=evaluator,
                other_id=evaluated,
                reason=Exclusion.Reason.EVALUATOR,
            )
        line.delete()
        settled += 1
    return settled


def profile_update(
    *,
    profile: Profile,
    stage: str,
    specialty: str,
    institution: str,
    offers: list[str],
    seeks: list[str],
    main_thing: str,
    specialty_preference: str,
    availability: list[str],
) -> Profile:
    """Save a participant's profile after checking it against the program's lists."""
    program = profile.program
    errors: dict[str, str] = {}
    if stage and program.stage_index(stage) is None:
        errors["stage"] = f"“{stage}” is not a stage on this program's career ladder."
    for field_name, topics in (("offers", offers), ("seeks", seeks)):
        unknown = [topic for topic in topics if topic not in program.topics]
        if unknown:
            errors[field_name] = f"Not on this program's topic list: {', '.join(unknown)}."
    bad_slots = [slot for slot in availability if slot not in AVAILABILITY_SLOTS]
    if bad_slots:
        errors["availability"] = f"Unknown time slots: {', '.join(bad_slots)}."
    if specialty_preference not in Profile.SpecialtyPreference.values:
        errors["specialty_preference"] = "Choose same, different or no preference."
    if errors:
        raise ValidationError(errors)
    if stage:
        index = program.stage_index(stage)
        assert index is not None
        stage = program.ladder[index]
    profile.stage = stage
    profile.specialty = specialty.strip()
    profile.institution = institution.strip()
    profile.offers = _clean_list(offers)
    profile.seeks = _clean_list(seeks)
    profile.main_thing = main_thing.strip()
    profile.specialty_preference = specialty_preference
    profile.availability = [slot for slot in AVAILABILITY_SLOTS if slot in availability]
    profile.updated_at = timezone.now()
    profile.save()
    return profile


def user_create_for_invitation(*, email: str, full_name: str = "") -> User:
    try:
        return User.objects.create_user(email=email, full_name=full_name)
    except IntegrityError:
        raise ValidationError({"email": "An account with this email exists already."}) from None
