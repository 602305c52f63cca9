"""Reads for check-ins, reflections, kudos and support, always scoped to the person asking.

A person's own pulses and reflections are fetched only through the ``access_own_*`` helpers;
what partners see goes through :func:`shared_pulses_for` and :func:`shared_reflections_for`,
which only ever return items their authors chose to share with current partners.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.notifications.selectors import preferences_of
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Enrollment, Program
from tandem.wellbeing.defaults import CRISIS_LINE_988
from tandem.wellbeing.models import (
    DEFAULT_BURNOUT_THRESHOLD,
    DEFAULT_PULSE_EVERY_DAYS,
    DEFAULT_SUPPORTED_THRESHOLD,
    Kudos,
    ProgramWellbeing,
    Pulse,
    Reflection,
    SharedReflection,
    SupportResource,
    WellbeingSettings,
)
from tandem.workspace.policies import (
    seated_members,
    seated_members_all,
    seated_membership,
    workspaces_for,
)

# Shown on every support page even when a program lists no crisis line of its own.
FALLBACK_CRISIS_LINE = SupportResource(**CRISIS_LINE_988)


def settings_of(user: User) -> WellbeingSettings:
    """The person's settings, or unsaved defaults when they never changed them."""
    found = WellbeingSettings.objects.filter(user=user).first()
    return found or WellbeingSettings(user=user)


def wellbeing_reminders_wanted(user: User) -> bool:
    """Whether the person wants check-in reminders by email (on unless they turned it off).

    The choice lives in the person's notification preferences, beside every other email.
    """
    if not user.is_active:
        return False
    return preferences_of([user])[user.pk].checkin_reminders


def active_programs_of(user: User) -> QuerySet[Program]:
    return Program.objects.filter(
        cohorts__enrollments__user=user, cohorts__enrollments__status=Enrollment.Status.ACTIVE
    ).distinct()


def is_participant(user: User) -> bool:
    return Enrollment.objects.filter(user=user, status=Enrollment.Status.ACTIVE).exists()


def program_wellbeing(program: Program) -> ProgramWellbeing:
    """The program's check-in settings, or unsaved defaults when it has none yet."""
    found = ProgramWellbeing.objects.filter(program=program).first()
    return found or ProgramWellbeing(program=program)


def _program_settings(user: User) -> list[ProgramWellbeing]:
    return [program_wellbeing(program) for program in active_programs_of(user)]


def pulse_every_days(user: User, own: WellbeingSettings | None = None) -> int:
    """Days between check-ins: the person's own choice, else the shortest of their programs'."""
    own = own or settings_of(user)
    if own.pulse_every_days:
        return own.pulse_every_days
    days = [setting.pulse_every_days for setting in _program_settings(user)]
    return min(days) if days else DEFAULT_PULSE_EVERY_DAYS


def thresholds_for(user: User) -> tuple[int, int]:
    """(burnout at or above, supported at or below) — the most caring of the person's programs."""
    found = _program_settings(user)
    if not found:
        return DEFAULT_BURNOUT_THRESHOLD, DEFAULT_SUPPORTED_THRESHOLD
    return (
        min(setting.burnout_threshold for setting in found),
        max(setting.supported_threshold for setting in found),
    )


def crosses_threshold(user: User, *, burnout: int, supported: int) -> bool:
    burnout_at, supported_at = thresholds_for(user)
    return burnout >= burnout_at or supported <= supported_at


def own_pulses(user: User) -> QuerySet[Pulse]:
    return Pulse.objects.filter(user=user).order_by("-created_at")


def last_pulse_at(user: User) -> dt.datetime | None:
    latest = own_pulses(user).values_list("created_at", flat=True).first()
    return latest


@dataclass(frozen=True)
class Schedule:
    every_days: int
    last_at: dt.datetime | None
    due: bool
    next_due_at: dt.datetime | None


def schedule_for(user: User, *, now: dt.datetime | None = None) -> Schedule:
    """Due means no check-in in the last ``every_days`` days."""
    now = now or timezone.now()
    every = pulse_every_days(user)
    last = last_pulse_at(user)
    if last is None:
        return Schedule(every_days=every, last_at=None, due=True, next_due_at=None)
    next_due = last + dt.timedelta(days=every)
    return Schedule(every_days=every, last_at=last, due=now >= next_due, next_due_at=next_due)


def own_reflections(user: User) -> QuerySet[Reflection]:
    return Reflection.objects.filter(user=user).prefetch_related("shares")


def current_partnerships(user: User) -> QuerySet[Partnership]:
    """Active partnerships in which the person holds a seat (accepted and current)."""
    return (
        workspaces_for(user)
        .filter(status=Partnership.Status.ACTIVE)
        .select_related("cohort__program")
        .prefetch_related(Prefetch("members", queryset=seated_members_all()))
    )


def current_member(partnership: Partnership, user: User) -> PartnershipMember | None:
    """The person's seat if they accepted and are current in this active partnership."""
    if partnership.status != Partnership.Status.ACTIVE:
        return None
    return seated_membership(user, partnership)


def current_partners(partnership: Partnership, user: User) -> list[User]:
    """The other members holding a seat: only they receive or see what the person shares."""
    if partnership.status != Partnership.Status.ACTIVE:
        return []
    members = seated_members(partnership).select_related("user")
    return [member.user for member in members if member.user_id != user.pk]


def _together_since(partnership: Partnership, *members: PartnershipMember) -> dt.datetime:
    """From when both members were in the partnership (a late joiner: from their join time)."""
    start = partnership.activated_at or partnership.created_at
    moments = [start]
    for member in members:
        moments.append(member.joined_at)
        if member.visible_since is not None:
            moments.append(member.visible_since)
    return max(moments)


def shared_pulses_for(partnership: Partnership, viewer: User) -> list[Pulse]:
    """Check-ins other current members shared, from when both were in this partnership."""
    viewer_member = current_member(partnership, viewer)
    if viewer_member is None:
        return []
    shared: list[Pulse] = []
    others = seated_members(partnership).exclude(user=viewer)
    for member in others.select_related("user"):
        since = _together_since(partnership, viewer_member, member)
        shared += Pulse.objects.filter(
            user=member.user, shared_with_partners=True, created_at__gte=since
        ).select_related("user")
    return sorted(shared, key=lambda pulse: pulse.created_at, reverse=True)


def shared_reflections_for(partnership: Partnership, viewer: User) -> QuerySet[SharedReflection]:
    """Reflections shared into this partnership, for its current members only."""
    viewer_member = current_member(partnership, viewer)
    if viewer_member is None:
        return SharedReflection.objects.none()
    shared = SharedReflection.objects.filter(partnership=partnership)
    if viewer_member.visible_since is not None:
        shared = shared.filter(shared_at__gte=viewer_member.visible_since)
    return shared.select_related("author")


def kudos_for(partnership: Partnership) -> QuerySet[Kudos]:
    """The partnership's kudos, from the reader's ``visible_since`` (set by the door)."""
    kudos = Kudos.objects.filter(partnership=partnership)
    if partnership.visible_since is not None:
        kudos = kudos.filter(created_at__gte=partnership.visible_since)
    return kudos.select_related("sender", "recipient")


def support_resources(program: Program) -> QuerySet[SupportResource]:
    return SupportResource.objects.filter(program=program).order_by("order", "name")


@dataclass(frozen=True)
class ProgramSupport:
    program: Program
    crisis_lines: list[SupportResource]
    other_resources: list[SupportResource]


def support_for(user: User) -> list[ProgramSupport]:
    """The support resources of every program the person takes part in, crisis lines first."""
    found = []
    for program in active_programs_of(user).order_by("name"):
        resources = list(support_resources(program))
        crisis = [r for r in resources if r.kind == SupportResource.Kind.CRISIS]
        found.append(
            ProgramSupport(
                program=program,
                crisis_lines=crisis,
                other_resources=[r for r in resources if r.kind != SupportResource.Kind.CRISIS],
            )
        )
    return found


def needs_fallback_crisis_line(support: list[ProgramSupport]) -> bool:
    return not any(entry.crisis_lines for entry in support)
