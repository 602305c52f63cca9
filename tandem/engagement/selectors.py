"""Reads of engagement: a partnership's day and status, a member's open question and the help
offered, the coordinator's at-risk rows. Nothing here reads what anyone wrote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.engagement.models import ContactCheck, EngagementRules, Escalation, Rematch
from tandem.partnerships.models import Partnership
from tandem.programs.models import Program
from tandem.schedules.selectors import partnership_windows
from tandem.workspace.models import Meeting
from tandem.workspace.policies import seated_members

# Two "not yet" answers from one member, or one "there is a problem", offer the help.
NOT_YET_BEFORE_HELP = 2


def rules_of(program: Program) -> EngagementRules:
    """Stored rules, or the defaults (unsaved) for a program that never changed them."""
    found = EngagementRules.objects.filter(program=program).first()
    return found or EngagementRules(program=program)


def started_at(partnership: Partnership) -> dt.datetime:
    return partnership.activated_at or partnership.created_at


def day_of(partnership: Partnership, now: dt.datetime) -> int:
    """Whole days since the partnership started (day 0 is its first day)."""
    return (now - started_at(partnership)).days


def meeting_held(partnership: Partnership) -> bool:
    return Meeting.objects.filter(partnership=partnership, status=Meeting.Status.HELD).exists()


def first_contact_reported(partnership: Partnership) -> bool:
    return ContactCheck.objects.filter(
        partnership=partnership, answer=ContactCheck.Answer.YES
    ).exists()


def has_started(partnership: Partnership) -> bool:
    """A first contact was reported or a meeting was logged as held."""
    return first_contact_reported(partnership) or meeting_held(partnership)


def last_meeting_on(partnership: Partnership) -> dt.date | None:
    last = Meeting.objects.filter(partnership=partnership, status=Meeting.Status.HELD).aggregate(
        last=Max("starts_at")
    )["last"]
    return timezone.localdate(last) if last else None


def open_escalation(partnership: Partnership) -> Escalation | None:
    """The highest escalation not cleared: a rematch offer outranks "at risk"."""
    raised = {
        e.level: e for e in Escalation.objects.filter(partnership=partnership, cleared_at=None)
    }
    return raised.get(Escalation.Level.REMATCH) or raised.get(Escalation.Level.AT_RISK)


@dataclass(frozen=True)
class Status:
    code: str  # starting, started, at_risk or rematch
    label: str
    explanation: str


def status_of(partnership: Partnership, *, now: dt.datetime | None = None) -> Status:
    now = now or timezone.now()
    if has_started(partnership):
        return Status("started", "Under way", "You have met: a first contact or a meeting.")
    escalation = open_escalation(partnership)
    rules = rules_of(partnership.cohort.program)
    if escalation is not None and escalation.level == Escalation.Level.REMATCH:
        return Status(
            "rematch",
            "Rematch offered",
            f"No first contact by day {rules.rematch_day}: either of you may ask for a "
            "no-fault rematch, or tell Tandem you have met.",
        )
    if escalation is not None:
        return Status(
            "at_risk",
            "At risk",
            f"No meeting and no first contact by day {rules.at_risk_day}. Tandem can suggest "
            "times or remind your partner.",
        )
    return Status(
        "starting",
        "Getting started",
        f"Day {max(day_of(partnership, now), 0)}: no first contact reported yet.",
    )


def checks_of(partnership: Partnership, member: User) -> list[ContactCheck]:
    return list(ContactCheck.objects.filter(partnership=partnership, member=member))


def latest_check(partnership: Partnership, member: User) -> ContactCheck | None:
    return (
        ContactCheck.objects.filter(partnership=partnership, member=member).order_by("-day").first()
    )


def help_offered(partnership: Partnership, member: User) -> bool:
    """Whether the member is offered times, a nudge and a no-fault rematch."""
    if has_started(partnership):
        return False
    answers = [check.answer for check in checks_of(partnership, member)]
    if ContactCheck.Answer.PROBLEM in answers:
        return True
    if answers.count(ContactCheck.Answer.NOT_YET) >= NOT_YET_BEFORE_HELP:
        return True
    escalation = open_escalation(partnership)
    return escalation is not None and escalation.level == Escalation.Level.REMATCH


def nudge_offered(partnership: Partnership, member: User) -> bool:
    """Times and a reminder to the partner: with the full help, and once the partnership is
    at risk (the rematch waits for the rematch day)."""
    if help_offered(partnership, member):
        return True
    return not has_started(partnership) and open_escalation(partnership) is not None


def may_nudge(partnership: Partnership, member: User) -> bool:
    """The reminder is still available: offered, and not yet used for the latest check."""
    check = latest_check(partnership, member)
    return check is not None and check.nudged_at is None and nudge_offered(partnership, member)


def windows_for(partnership: Partnership, *, now: dt.datetime | None = None) -> list[Any]:
    """Mutual free windows of the next two weeks, from the members' schedules (if any)."""
    return partnership_windows(partnership, weeks=2, now=now)[:5]


def workspace_status(partnership: Partnership, user: User) -> list[dict[str, str]]:
    """The line the workspace shows its members (answers the ``workspace.status`` hook)."""
    if partnership.status != Partnership.Status.ACTIVE:
        return []
    status = status_of(partnership)
    return [
        {
            "code": status.code,
            "label": status.label,
            "explanation": status.explanation,
            "url": reverse("engagement:partnership", args=[partnership.pk]),
        }
    ]


def no_fault_rematches(partnership_ids: Iterable[int]) -> set[int]:
    """Of these partnerships, those ended by a no-fault rematch (the ``rematch.no_fault`` hook)."""
    return set(
        Rematch.objects.filter(partnership_id__in=list(partnership_ids)).values_list(
            "partnership_id", flat=True
        )
    )


@dataclass(frozen=True)
class AtRiskRow:
    partnership_id: int
    cohort: str
    cohort_slug: str
    members: list[str]
    level: str
    started_on: dt.date
    days: int
    first_contact_reported: bool
    last_meeting_on: dt.date | None


def at_risk_rows(program: Program, *, now: dt.datetime | None = None) -> list[AtRiskRow]:
    """Active partnerships of the program with an escalation not cleared, longest first.

    Dates, names and yes/no only: no note, goal, check-in or answer text is read.
    """
    now = now or timezone.now()
    escalated = (
        Partnership.objects.filter(
            cohort__program=program,
            status=Partnership.Status.ACTIVE,
            escalations__cleared_at=None,
        )
        .select_related("cohort")
        .distinct()
    )
    rows = []
    for partnership in escalated:
        escalation = open_escalation(partnership)
        if escalation is None:
            continue
        rows.append(
            AtRiskRow(
                partnership_id=partnership.pk,
                cohort=partnership.cohort.name,
                cohort_slug=partnership.cohort.slug,
                members=[
                    m.user.display_name for m in seated_members(partnership).select_related("user")
                ],
                level=escalation.get_level_display(),
                started_on=timezone.localdate(started_at(partnership)),
                days=day_of(partnership, now),
                first_contact_reported=first_contact_reported(partnership),
                last_meeting_on=last_meeting_on(partnership),
            )
        )
    rows.sort(key=lambda row: (-row.days, row.partnership_id))
    return rows
