"""The cohort's check-ins in aggregate: counted right, suppressed, and never about one person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.core.suppression import suppress_table
from tandem.wellbeing.models import PeriodRelease, Pulse
from tandem.wellbeing.report import PERIOD_DAYS, cohort_report
from tests import factories
from tests.core.test_suppression import assert_protected

PEOPLE = 60
PERIODS = 4


def at(cohort, period, day=0, hour=12):
    day_start = cohort.starts_on + dt.timedelta(days=period * PERIOD_DAYS + day)
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(day_start, dt.time(hour), tzinfo=zone)


@pytest.fixture
def crowd(db):
    program = factories.ProgramFactory(slug="crowd")
    today = timezone.localdate()
    cohort = factories.CohortFactory(
        program=program,
        slug="big",
        starts_on=today - dt.timedelta(days=PERIODS * PERIOD_DAYS - 1),
        ends_on=today + dt.timedelta(days=100),
    )
    people = [factories.participant(cohort) for _ in range(PEOPLE)]
    return cohort, people


def test_each_person_counts_once_per_period_with_their_latest_answer(crowd):
    cohort, people = crowd
    for person in people[:12]:
        Pulse.objects.create(user=person, burnout=5, supported=1, created_at=at(cohort, 0, 1))
        Pulse.objects.create(user=person, burnout=2, supported=4, created_at=at(cohort, 0, 9))
    outsider = factories.participant(factories.CohortFactory())
    Pulse.objects.create(user=outsider, burnout=2, supported=4, created_at=at(cohort, 0, 2))
    rows = cohort_report(cohort).rows
    assert rows[0].cells == (0, 12, 0, 0, 0)
    assert rows[0].total == 12
    assert [row.total for row in rows[1:3]] == [0, 0]
    assert (rows[3].released, rows[3].total) == (False, None)  # the period runs until today


def test_a_small_cohort_shows_no_count_of_one_to_ten(cast, client_for):
    for person in (cast.alice, cast.bob, cast.carol):
        Pulse.objects.create(user=person, burnout=3, supported=3)
    report = cohort_report(cast.cohort)
    assert all(value in (None, 0) for row in report.rows for value in row.cells)
    response = client_for(cast.coord).get(reverse("wellbeing:cohort", args=["riverside", "fall"]))
    assert "when the period has ended" in response.content.decode()
    csv = client_for(cast.coord).get(reverse("wellbeing:cohort_csv", args=["riverside", "fall"]))
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode() == report.csv()
    rows = [line.split(",") for line in csv.content.decode().splitlines()[1:]]
    assert all(not cell.isdigit() or not 1 <= int(cell) <= 10 for row in rows for cell in row[1:])


def test_the_page_csv_and_chart_agree_on_the_displayed_table(crowd, client_for):
    cohort, people = crowd
    for index, person in enumerate(people[:40]):
        Pulse.objects.create(
            user=person, burnout=1 + index % 2, supported=4, created_at=at(cohort, 1, 3)
        )
    coordinator = factories.coordinator(cohort.program)
    client = client_for(coordinator)
    args = [cohort.program.slug, cohort.slug]
    page = client.get(reverse("wellbeing:cohort", args=args)).content.decode()
    assert ">20<" in page  # twenty people answered 1, twenty answered 2, in period two
    csv = client.get(reverse("wellbeing:cohort_csv", args=args)).content.decode()
    assert csv.splitlines()[2].split(",")[1:] == ["20", "20", "0", "0", "0", "40"]
    svg = client.get(reverse("wellbeing:cohort_svg", args=args))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<title" in svg.content


def test_nothing_identifies_a_person_on_the_cohort_page(crowd, client_for):
    cohort, people = crowd
    for person in people[:15]:
        Pulse.objects.create(
            user=person, burnout=4, supported=2, word="MKWORD", created_at=at(cohort, 2)
        )
    coordinator = factories.coordinator(cohort.program)
    page = client_for(coordinator).get(
        reverse("wellbeing:cohort", args=[cohort.program.slug, cohort.slug])
    )
    text = page.content.decode()
    assert "MKWORD" not in text
    for person in people[:15]:
        assert person.email not in text
        assert person.full_name not in text


periods_strategy = st.lists(
    st.tuples(
        st.lists(st.integers(min_value=1, max_value=5), max_size=PEOPLE),
        st.lists(st.booleans(), max_size=PEOPLE),
    ),
    min_size=PERIODS,
    max_size=PERIODS,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(periods=periods_strategy)
def test_random_cohorts_never_show_or_give_away_a_count_of_one_to_ten(crowd, periods):
    """Random answers per period (some people also checked in earlier the same period)."""
    cohort, people = crowd
    Pulse.objects.all().delete()
    PeriodRelease.objects.all().delete()
    expected = [[0] * 5 for _ in range(PERIODS)]
    pulses = []
    for period, (answers, earlier) in enumerate(periods):
        for index, burnout in enumerate(answers):
            if index < len(earlier) and earlier[index]:
                pulses.append(
                    Pulse(
                        user=people[index],
                        burnout=6 - burnout,
                        supported=3,
                        created_at=at(cohort, period, 0, 8),
                    )
                )
            pulses.append(
                Pulse(
                    user=people[index],
                    burnout=burnout,
                    supported=3,
                    created_at=at(cohort, period, 5),
                )
            )
            expected[period][burnout - 1] += 1
    Pulse.objects.bulk_create(pulses)
    for row, counts in zip(cohort_report(cohort).rows, expected, strict=True):
        if row.released:
            assert_protected([counts], suppress_table([counts]))
            shown = suppress_table([counts])
            assert (row.cells, row.total) == (shown.cells[0], shown.row_totals[0])
