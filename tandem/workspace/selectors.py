"""Reads of a partnership's workspace, always scoped to a partnership already accessed.

The ``access_*`` helpers fetch one object inside that partnership or raise 404; the summaries
(focus, accountability, the coordinator's counts) compute from statuses and dates only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models
from django.db.models import Count, Max, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Profile, Program
from tandem.workspace import policies
from tandem.workspace.models import (
    DEFAULT_AGREEMENT,
    ActionItem,
    AgreementSignature,
    AgreementTemplate,
    AgreementVersion,
    Goal,
    GoalCheer,
    GoalComment,
    Meeting,
    Milestone,
    Note,
    WorkspacePurge,
)
from tandem.workspace.policies import visible_to_reader as _visible

_Model = TypeVar("_Model", bound=models.Model)

# Below this share of their work serving the main thing, a person sees a gentle nudge.
FOCUS_NUDGE_BELOW = 0.5


def members_of(partnership: Partnership) -> list[PartnershipMember]:
    """The members who hold a seat: accepted and current (see ``policies``)."""
    return list(
        policies.seated_members(partnership)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def member_users(partnership: Partnership) -> list[User]:
    return [member.user for member in members_of(partnership)]


def workspaces_for(user: User) -> QuerySet[Partnership]:
    """The person's partnerships that have a workspace, current first."""
    return (
        policies.workspaces_for(user)
        .select_related("cohort__program")
        .prefetch_related(Prefetch("members", queryset=policies.seated_members_all()))
        .order_by("-activated_at", "-created_at")
    )


def main_things(partnership: Partnership) -> list[tuple[User, str]]:
    users = member_users(partnership)
    profiles = {
        profile.user_id: profile.main_thing
        for profile in Profile.objects.filter(
            program_id=partnership.cohort.program_id, user__in=users
        )
    }
    return [(user, profiles.get(user.pk, "")) for user in users]


def purge_of(partnership: Partnership) -> WorkspacePurge | None:
    return WorkspacePurge.objects.filter(partnership=partnership).first()


def retention_ends_at(partnership: Partnership) -> dt.datetime | None:
    if partnership.ended_at is None:
        return None
    return partnership.ended_at + dt.timedelta(days=partnership.cohort.program.retention_days)


# Agreement


def agreement_template_text(program: Program) -> str:
    template = AgreementTemplate.objects.filter(program=program).first()
    return template.text if template is not None else DEFAULT_AGREEMENT


def agreement_versions(partnership: Partnership) -> list[AgreementVersion]:
    return list(
        AgreementVersion.objects.filter(partnership=partnership).prefetch_related(
            Prefetch("signatures", queryset=AgreementSignature.objects.select_related("user"))
        )
    )


def agreement_current(partnership: Partnership) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(partnership=partnership, effective_at__isnull=False)
        .order_by("-number")
        .first()
    )


def agreement_pending(partnership: Partnership) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(
            partnership=partnership, effective_at__isnull=True, withdrawn_at__isnull=True
        )
        .prefetch_related("signatures")
        .order_by("-number")
        .first()
    )


def agreement_in_force(partnership: Partnership) -> bool:
    return AgreementVersion.objects.filter(
        partnership=partnership, effective_at__isnull=False
    ).exists()


# Objects inside one partnership


def notes_of(partnership: Partnership) -> QuerySet[Note]:
    return _visible(Note.objects.filter(partnership=partnership), partnership).select_related(
        "author"
    )


def goals_of(partnership: Partnership) -> QuerySet[Goal]:
    return (
        _visible(Goal.objects.filter(partnership=partnership), partnership)
        .select_related("owner")
        .prefetch_related("milestones", "cheers__user")
        .annotate(comment_count=Count("comments", distinct=True))
    )


def goal_comments(goal: Goal) -> QuerySet[GoalComment]:
    return goal.comments.select_related("author")


def goal_cheers(goal: Goal) -> QuerySet[GoalCheer]:
    return goal.cheers.select_related("user")


def meetings_of(partnership: Partnership) -> QuerySet[Meeting]:
    return _visible(Meeting.objects.filter(partnership=partnership), partnership)


def meetings_held(partnership: Partnership) -> QuerySet[Meeting]:
    return meetings_of(partnership).filter(status=Meeting.Status.HELD).order_by("starts_at")


def milestones_reached(partnership: Partnership) -> QuerySet[Milestone]:
    milestones = Milestone.objects.filter(goal__partnership=partnership, reached_at__isnull=False)
    if partnership.visible_since is not None:
        milestones = milestones.filter(goal__created_at__gte=partnership.visible_since)
    return milestones.select_related("goal").order_by("reached_at")


def next_meeting(partnership: Partnership) -> Meeting | None:
    return (
        meetings_of(partnership)
        .filter(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )


def action_items_of(partnership: Partnership) -> QuerySet[ActionItem]:
    return _visible(ActionItem.objects.filter(partnership=partnership), partnership).select_related(
        "owner", "goal", "meeting"
    )


def overdue_action_items(partnership: Partnership) -> QuerySet[ActionItem]:
    return action_items_of(partnership).filter(
        done_at__isnull=True, due_on__lt=timezone.localdate()
    )


# Focus and accountability (statuses, dates and counts only)


@dataclass(frozen=True)
class Focus:
    user: User
    serving: int
    total: int

    @property
    def share(self) -> float | None:
        return self.serving / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(100 * share)

    @property
    def nudge(self) -> bool:
        share = self.share
        return share is not None and share < FOCUS_NUDGE_BELOW


def focus_for(partnership: Partnership) -> list[Focus]:
    """Per person: the share of active goals and open action items that serve the main thing."""
    goals = _visible(Goal.objects.filter(partnership=partnership), partnership).filter(
        status=Goal.Status.ACTIVE
    )
    items = action_items_of(partnership).filter(done_at__isnull=True)
    goal_counts = goals.values("owner").annotate(
        total=Count("pk"), serving=Count("pk", filter=Q(serves_main_thing=True))
    )
    item_counts = items.values("owner").annotate(
        total=Count("pk"),
        serving=Count("pk", filter=Q(serves_main_thing=True) | Q(goal__serves_main_thing=True)),
    )
    totals: Counter[int] = Counter()
    serving: Counter[int] = Counter()
    for row in [*goal_counts, *item_counts]:
        totals[row["owner"]] += row["total"]
        serving[row["owner"]] += row["serving"]
    return [
        Focus(user=user, serving=serving[user.pk], total=totals[user.pk])
        for user in member_users(partnership)
    ]


@dataclass
class PersonAccount:
    user: User
    goals_active: int = 0
    goals_completed: int = 0
    milestones_reached: int = 0
    actions_on_time: int = 0
    actions_late: int = 0
    actions_open: int = 0
    actions_overdue: int = 0


@dataclass
class Accountability:
    people: list[PersonAccount]
    meetings: dict[str, int] = field(default_factory=dict)
    last_meeting_on: dt.date | None = None


def accountability_for(partnership: Partnership) -> Accountability:
    people = {user.pk: PersonAccount(user=user) for user in member_users(partnership)}
    for row in (
        _visible(Goal.objects.filter(partnership=partnership), partnership)
        .values("owner", "status")
        .annotate(n=Count("pk"))
    ):
        person = people.get(row["owner"])
        if person is None:
            continue
        if row["status"] == Goal.Status.ACTIVE:
            person.goals_active += row["n"]
        elif row["status"] == Goal.Status.COMPLETED:
            person.goals_completed += row["n"]
    for row in (
        milestones_reached(partnership).order_by().values("goal__owner").annotate(n=Count("pk"))
    ):
        if row["goal__owner"] in people:
            people[row["goal__owner"]].milestones_reached += row["n"]
    today = timezone.localdate()
    for item in _visible(ActionItem.objects.filter(partnership=partnership), partnership).only(
        "owner", "due_on", "done_at"
    ):
        person = people.get(item.owner_id)
        if person is None:
            continue
        if item.done_at is None:
            person.actions_open += 1
            if item.due_on is not None and item.due_on < today:
                person.actions_overdue += 1
        elif item.done_on_time:
            person.actions_on_time += 1
        else:
            person.actions_late += 1
    return Accountability(
        people=list(people.values()),
        meetings=meeting_counts(partnership),
        last_meeting_on=_last_held(partnership),
    )


def meeting_counts(partnership: Partnership) -> dict[str, int]:
    now = timezone.now()
    counts = {status.value: 0 for status in Meeting.Status}
    counts["upcoming"] = 0
    for row in meetings_of(partnership).order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["upcoming"] = (
        meetings_of(partnership).filter(status=Meeting.Status.SCHEDULED, starts_at__gte=now).count()
    )
    counts["unrecorded"] = counts[Meeting.Status.SCHEDULED] - counts["upcoming"]
    return counts


def _last_held(partnership: Partnership) -> dt.date | None:
    last = meetings_held(partnership).aggregate(last=Max("starts_at"))["last"]
    return timezone.localdate(last) if last else None


# The coordinator's view of a cohort: counts and dates, never text


@dataclass
class PartnershipRow:
    partnership: Partnership
    members: list[User]
    meetings_held: int
    last_meeting_on: dt.date | None
    goals_by_status: dict[str, int]
    overdue_actions: int

    @property
    def status_label(self) -> str:
        return self.partnership.get_status_display()


def cohort_partnerships(cohort: Cohort, matching: str = "") -> QuerySet[Partnership]:
    """The cohort's partnerships, active ones first; with `matching`, only those with a member
    whose name or email contains it."""
    partnerships = Partnership.objects.filter(cohort=cohort)
    if matching:
        partnerships = partnerships.filter(
            pk__in=PartnershipMember.objects.filter(
                Q(user__full_name__icontains=matching) | Q(user__email__icontains=matching)
            ).values("partnership")
        )
    return partnerships.order_by("status", "pk")


def partnership_rows(partnerships: Iterable[Partnership]) -> list[PartnershipRow]:
    """Counts and dates for each partnership (one page of a cohort's): never what members wrote."""
    partnerships = list(partnerships)
    prefetch_related_objects(
        partnerships,
        Prefetch(
            "members",
            queryset=PartnershipMember.objects.select_related("user").order_by("user__full_name"),
        ),
    )
    ids = [partnership.pk for partnership in partnerships]
    held = {
        row["partnership"]: (row["n"], row["last"])
        for row in Meeting.objects.filter(partnership__in=ids, status=Meeting.Status.HELD)
        .values("partnership")
        .annotate(n=Count("pk"), last=Max("starts_at"))
    }
    goals: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Goal.objects.filter(partnership__in=ids)
        .values("partnership", "status")
        .annotate(n=Count("pk"))
    ):
        goals[row["partnership"]][row["status"]] = row["n"]
    overdue = {
        row["partnership"]: row["n"]
        for row in ActionItem.objects.filter(
            partnership__in=ids, done_at__isnull=True, due_on__lt=timezone.localdate()
        )
        .values("partnership")
        .annotate(n=Count("pk"))
    }
    rows = []
    for partnership in partnerships:
        count, last = held.get(partnership.pk, (0, None))
        rows.append(
            PartnershipRow(
                partnership=partnership,
                members=[member.user for member in partnership.members.all()],
                meetings_held=count,
                last_meeting_on=timezone.localdate(last) if last else None,
                goals_by_status={
                    status.value: goals[partnership.pk].get(status.value, 0)
                    for status in Goal.Status
                },
                overdue_actions=overdue.get(partnership.pk, 0),
            )
        )
    return rows
