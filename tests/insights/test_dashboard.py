from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.insights import report, selectors
from tandem.partnerships.models import Partnership
from tandem.programs.models import ProgramRole
from tandem.workspace.models import ActionItem, Meeting
from tests import factories
from tests.insights.helpers import Shape, build

pytestmark = pytest.mark.django_db


def started_cohort(days_ago: int = 10, **kwargs):
    today = timezone.localdate()
    return factories.CohortFactory(
        starts_on=today - dt.timedelta(days=days_ago),
        ends_on=today + dt.timedelta(days=400),
        **kwargs,
    )


def test_funnel_counts_people_by_the_furthest_step_they_reached():
    cohort = started_cohort()
    build(cohort, Shape(invited_only=12, enrolled=13, profile=14, matched=16, signed=12, met=20))
    counts = selectors.furthest_step_counts(cohort, today=timezone.localdate())
    assert counts == [12, 13, 14, 16, 12, 20, 0, 0, 0]


def test_funnel_shows_reached_counts_and_not_yet_for_horizons_still_ahead():
    cohort = started_cohort()
    build(cohort, Shape(invited_only=12, enrolled=13, profile=14, matched=16, signed=12, met=20))
    funnel = report.funnel([cohort])
    assert funnel.rows[0].reached == (87, 75, 62, 48, 32, 20, "not yet", "not yet", "not yet")


def test_still_active_at_three_months_counts_partnerships_live_at_the_horizon():
    cohort = started_cohort(days_ago=120)
    users = build(cohort, Shape(met=40))
    # Six pairs ended after a month: those twelve are not active at three months.
    for user in users[0:12:2]:
        ended = Partnership.objects.filter(members__user=user).get()
        ended.status = Partnership.Status.EXITED
        ended.ended_at = ended.activated_at + dt.timedelta(days=30)
        ended.save()
    counts = selectors.furthest_step_counts(cohort, today=timezone.localdate())
    assert counts[5:7] == [12, 28]
    reached = report.funnel([cohort]).rows[0].reached
    assert reached[5:8] == (40, 28, "not yet")


def test_small_funnel_cells_are_suppressed_so_no_one_can_be_worked_out():
    cohort = started_cohort()
    build(cohort, Shape(enrolled=3, profile=20, met=30))
    funnel = report.funnel([cohort])
    table = funnel.table
    # 3 people stopped at "enrolled": hidden, and so is a complementary cell.
    assert table.cells[0][1] is None
    assert table.suppressed_count >= 2
    shown = [value for value in funnel.rows[0].reached if isinstance(value, int)]
    assert 3 not in shown
    # "Enrolled" (53) minus "Profile complete" (50) would reveal the 3: one of them is hidden.
    assert None in funnel.rows[0].reached[1:3]
    assert "suppressed" in funnel.csv()


def test_goal_and_meeting_tables_hide_counts_of_one_to_ten():
    cohort = started_cohort()
    build(cohort, Shape(met=8))
    dashboard = report.cohort_dashboard(cohort)
    assert dashboard.goals.table.column_totals[0] is None  # 4 active goals
    flat = [value for row in dashboard.cadence.table.cells for value in row]
    assert 4 not in flat


def test_checkin_list_names_quiet_partnerships_and_overdue_actions_without_content():
    cohort = started_cohort(days_ago=100)
    users = build(cohort, Shape(matched=4, met=2))
    met_pair = Partnership.objects.get(members__user=users[4])
    quiet = Partnership.objects.filter(members__user=users[0]).get()
    ActionItem.objects.create(
        partnership=met_pair,
        owner=users[4],
        text="SECRET-ACTION-TEXT",
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    checkins = report.checkin_list(cohort, weeks=6)
    by_id = {row.partnership_id: row for row in checkins.rows}
    assert quiet.pk in by_id
    assert by_id[quiet.pk].last_met_on is None
    assert by_id[met_pair.pk].overdue_actions == 1
    assert "Person p0" in by_id[quiet.pk].members
    assert "SECRET-ACTION-TEXT" not in checkins.csv()


def test_a_recent_meeting_takes_a_partnership_off_the_checkin_list():
    cohort = started_cohort(days_ago=100)
    users = build(cohort, Shape(matched=2))
    pair = Partnership.objects.get(members__user=users[0])
    Meeting.objects.create(
        partnership=pair,
        number=1,
        starts_at=timezone.now() - dt.timedelta(days=7),
        status=Meeting.Status.HELD,
    )
    assert report.checkin_list(cohort, weeks=6).rows == ()


def _dashboard_queries(client, cohort) -> int:
    url = reverse("insights:cohort", args=[cohort.program.slug, cohort.slug])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_dashboard_query_count_does_not_grow_with_the_cohort(client_for):
    small, large = started_cohort(days_ago=200), started_cohort(days_ago=200)
    build(
        small, Shape(invited_only=2, enrolled=2, profile=2, matched=2, signed=2, met=2), prefix="s"
    )
    build(
        large,
        Shape(invited_only=30, enrolled=30, profile=30, matched=30, signed=30, met=60),
        prefix="l",
    )
    coord = factories.coordinator(small.program)
    ProgramRole.objects.create(program=large.program, user=coord, role=ProgramRole.Role.COORDINATOR)
    client = client_for(coord)
    assert _dashboard_queries(client, small) == _dashboard_queries(client, large)


def test_program_dashboard_lists_every_cohort_with_an_overall_row():
    first = started_cohort(days_ago=200)
    second = factories.CohortFactory(program=first.program, starts_on=first.starts_on)
    build(first, Shape(enrolled=20, met=20), prefix="a")
    build(second, Shape(enrolled=20, met=20), prefix="b")
    dashboard = report.program_dashboard([first, second])
    assert dashboard.funnel is not None
    assert dashboard.funnel.overall is not None
    assert dashboard.funnel.overall.reached[1] == 80
    assert dashboard.funnel.overall.reached[5] == 40


def test_page_lists_the_quietest_partnerships_first_and_counts_them_all():
    cohort = started_cohort(days_ago=100)
    build(cohort, Shape(matched=8))
    checkins = report.checkin_list(cohort, weeks=6, limit=3)
    assert checkins.total == 4
    assert len(checkins.rows) == 3
    assert checkins.is_partial
    assert len(report.checkin_list(cohort, weeks=6).rows) == 4


def test_meetings_per_month_covers_the_cohorts_months_even_when_one_is_booked_years_ahead():
    cohort = started_cohort(days_ago=40)
    build(cohort, Shape(met=12))
    pair = Partnership.objects.filter(cohort=cohort).first()
    Meeting.objects.create(
        partnership=pair,
        number=2,
        starts_at=timezone.now() + dt.timedelta(days=4 * 365),
        status=Meeting.Status.SCHEDULED,
    )
    table = report.cadence(cohort).table
    day, today, expected = cohort.starts_on, timezone.localdate(), []
    while day <= today:
        if f"{day:%b %Y}" not in expected:
            expected.append(f"{day:%b %Y}")
        day += dt.timedelta(days=1)
    assert list(table.row_labels) == expected
