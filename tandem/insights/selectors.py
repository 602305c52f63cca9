"""Raw counts behind the coordinator dashboard, each one aggregate query (P2/P3 sources).

No function here loops over people or partnerships in Python: the database counts, so the
number of queries stays the same however large a cohort grows. Figures leave through
``tandem.insights.report``, which suppresses small cells before anything is shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower, TruncMonth
from django.utils import timezone

from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Enrollment, Invitation, Profile
from tandem.workspace.models import ActionItem, AgreementSignature, Goal, Meeting

# Steps of the funnel, in order; a person reaches a step only with every step before it.
FUNNEL_STEPS: tuple[tuple[str, str], ...] = (
    ("invited", "Invited or joined"),
    ("enrolled", "Enrolled"),
    ("profile", "Profile complete"),
    ("matched", "Matched"),
    ("signed", "Agreement signed"),
    ("met", "Met at least once"),
    ("active_3", "Still active at 3 months"),
    ("active_6", "Still active at 6 months"),
    ("active_12", "Still active at 12 months"),
)
# Days after the cohort's start at which "still active" is measured.
ACTIVE_HORIZONS = {"active_3": 91, "active_6": 183, "active_12": 365}


def horizon_reached(cohort: Cohort, step: str, *, today: dt.date) -> bool:
    days = ACTIVE_HORIZONS.get(step)
    return days is None or cohort.starts_on + dt.timedelta(days=days) <= today


def _complete_profile() -> Q:
    empty_text = Q(stage="") | Q(specialty="") | Q(institution="") | Q(main_thing="")
    empty_lists = Q(offers=[]) | Q(seeks=[]) | Q(availability=[])
    return ~(empty_text | empty_lists)


def _active_at(cohort: Cohort, moment: dt.datetime) -> Exists:
    """The person was an accepted member of a partnership of the cohort live at ``moment``."""
    return Exists(
        PartnershipMember.objects.filter(
            cohort_id=cohort.pk,
            user_id=OuterRef("user_id"),
            response=PartnershipMember.Response.ACCEPTED,
            partnership__activated_at__lte=moment,
        )
        .filter(Q(left_at__isnull=True) | Q(left_at__gt=moment))
        .filter(Q(partnership__ended_at__isnull=True) | Q(partnership__ended_at__gt=moment))
    )


def furthest_step_counts(cohort: Cohort, *, today: dt.date) -> list[int]:
    """People by the furthest funnel step they reached: one count per step, adding up to all.

    Two queries: people invited who never enrolled, and enrolled people grouped by a CASE over
    EXISTS tests, so the work is the database's whatever the cohort's size.
    """
    enrolled = Enrollment.objects.filter(cohort=cohort)
    not_enrolled = (
        Invitation.objects.filter(cohort=cohort, role=Invitation.Role.PARTICIPANT)
        .annotate(address=Lower("email"))
        .exclude(
            Exists(enrolled.filter(user__email__iexact=OuterRef("email")).values("pk")),
        )
        .aggregate(people=Count("address", distinct=True))["people"]
    )
    zone = timezone.get_current_timezone()
    held = Meeting.objects.filter(
        partnership_id=OuterRef("partnership_id"), status=Meeting.Status.HELD
    )
    conditions: list[Exists] = [
        Exists(
            Profile.objects.filter(
                _complete_profile(), program_id=cohort.program_id, user_id=OuterRef("user_id")
            )
        ),
        Exists(
            PartnershipMember.objects.filter(
                cohort_id=cohort.pk, user_id=OuterRef("user_id")
            ).exclude(partnership__status=Partnership.Status.DECLINED)
        ),
        Exists(
            AgreementSignature.objects.filter(
                user_id=OuterRef("user_id"), version__partnership__cohort_id=cohort.pk
            )
        ),
        # Through the person's memberships (indexed by user), then their partnership's meetings:
        # joining meetings to members the other way round scans every meeting for each person.
        Exists(
            PartnershipMember.objects.filter(
                Exists(held), cohort_id=cohort.pk, user_id=OuterRef("user_id")
            )
        ),
    ]
    for step, days in ACTIVE_HORIZONS.items():
        if not horizon_reached(cohort, step, today=today):
            break
        moment = dt.datetime.combine(
            cohort.starts_on + dt.timedelta(days=days), dt.time.min, tzinfo=zone
        )
        conditions.append(_active_at(cohort, moment))
    # Each person's answers to every condition, grouped: at most 2^8 rows come back, whatever
    # the cohort's size, and the database evaluates each EXISTS once per person.
    flags = {f"step_{index}": condition for index, condition in enumerate(conditions)}
    grouped = enrolled.annotate(**flags).values(*flags).annotate(people=Count("pk")).order_by()
    counts = [0] * len(FUNNEL_STEPS)
    counts[0] = not_enrolled
    for row in grouped:
        reached = 0
        while reached < len(conditions) and row[f"step_{reached}"]:
            reached += 1
        # Index in FUNNEL_STEPS of the furthest step: 1 (enrolled) plus the conditions held.
        counts[1 + reached] += row["people"]
    return counts


@contextlib.contextmanager
def without_jit() -> Iterator[None]:
    """Run the enclosed queries with PostgreSQL's JIT compiler off.

    Over a large cohort the planner's cost estimates make PostgreSQL JIT-compile the dashboard's
    aggregate queries, which takes seconds, for plans (hashed subplans, index probes) that run
    in tens of milliseconds. Measured by bench/bench_insights.py; SET LOCAL ends with the
    transaction, so nothing else on the connection is affected.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


MEETING_STATUSES = (
    Meeting.Status.HELD,
    Meeting.Status.MISSED,
    Meeting.Status.CANCELLED,
    Meeting.Status.SCHEDULED,
)


def meetings_by_month(cohort: Cohort) -> dict[dt.date, dict[str, int]]:
    """Meetings of the cohort's partnerships per calendar month and status (one query)."""
    rows = (
        Meeting.objects.filter(partnership__cohort=cohort)
        .annotate(month=TruncMonth("starts_at"))
        .values("month", "status")
        .annotate(meetings=Count("pk"))
        .order_by()
    )
    months: dict[dt.date, dict[str, int]] = {}
    for row in rows:
        month = row["month"]
        day = month.date() if isinstance(month, dt.datetime) else month
        months.setdefault(day.replace(day=1), {})[row["status"]] = row["meetings"]
    return months


GOAL_STATUSES = (
    Goal.Status.ACTIVE,
    Goal.Status.COMPLETED,
    Goal.Status.PAUSED,
    Goal.Status.DROPPED,
)


def goals_by_status(cohorts: Sequence[Cohort]) -> dict[int, dict[str, int]]:
    """Goals per cohort and status (one query)."""
    rows = (
        Goal.objects.filter(partnership__cohort__in=[cohort.pk for cohort in cohorts])
        .values("partnership__cohort_id", "status")
        .annotate(goals=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {cohort.pk: {} for cohort in cohorts}
    for row in rows:
        counts[row["partnership__cohort_id"]][row["status"]] = row["goals"]
    return counts


def partnerships_needing_checkin(
    cohort: Cohort, *, weeks: int, today: dt.date
) -> QuerySet[Partnership]:
    """Active partnerships with no meeting held in ``weeks`` weeks, or with overdue actions.

    Annotated with ``last_met`` (when the last held meeting started) and ``overdue`` (open
    action items past their due date); :func:`member_names` gives the members. Only dates,
    counts and members' names: never what a note, goal or action item says.
    """
    zone = timezone.get_current_timezone()
    cutoff = dt.datetime.combine(today - dt.timedelta(weeks=weeks), dt.time.min, tzinfo=zone)
    overdue = (
        ActionItem.objects.filter(
            partnership=OuterRef("pk"), done_at__isnull=True, due_on__lt=today
        )
        .order_by()
        .values("partnership")
        .annotate(items=Count("pk"))
        .values("items")
    )
    return (
        Partnership.objects.filter(cohort=cohort, status=Partnership.Status.ACTIVE)
        .annotate(
            # A join and GROUP BY: one pass over the meetings, not a lookup per partnership.
            last_met=Max(
                "meetings__starts_at",
                filter=Q(
                    meetings__status=Meeting.Status.HELD,
                    meetings__starts_at__lte=timezone.now(),
                ),
            ),
            overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
        )
        .filter(
            Q(overdue__gt=0)
            | Q(last_met__lt=cutoff)
            | Q(last_met__isnull=True, activated_at__lt=cutoff)
        )
        .order_by(F("last_met").asc(nulls_first=True), "pk")
    )


def member_names(partnerships: QuerySet[Partnership, Any] | list[int]) -> dict[int, list[str]]:
    """Current members' names per partnership, in one query (no per-partnership queries)."""
    names: dict[int, list[str]] = {}
    rows = (
        PartnershipMember.objects.filter(partnership__in=partnerships, is_current=True)
        .order_by("user__full_name", "pk")
        .values_list("partnership_id", "user__full_name")
    )
    for partnership_id, name in rows:
        names.setdefault(partnership_id, []).append(name or "—")
    return names
