"""A coordinator reads the check-in counts before and after one more check-in, after someone
deletes one, and beside another program's counts: no one's answer comes out of a change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.wellbeing.models import Pulse
from tandem.wellbeing.report import PERIOD_DAYS
from tests import factories


def moment(cohort, period, day=2):
    start = cohort.starts_on + dt.timedelta(days=period * PERIOD_DAYS + day)
    return dt.datetime.combine(start, dt.time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def two_programs(db):
    """Program A with 15 people, program B with 12, and one person taking part in both."""
    starts_on = timezone.localdate() - dt.timedelta(days=PERIOD_DAYS + 5)
    cohorts = []
    for name in ("a", "b"):
        program = factories.ProgramFactory(slug=f"prog-{name}")
        cohorts.append(
            factories.CohortFactory(
                program=program,
                slug=name,
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=300),
            )
        )
    only_a = [factories.participant(cohorts[0]) for _ in range(15)]
    only_b = [factories.participant(cohorts[1]) for _ in range(12)]
    both = factories.participant(cohorts[0])
    factories.EnrollmentFactory(cohort=cohorts[1], user=both)
    return cohorts, only_a, only_b, both


def download(client_for, cohort):
    coordinator = factories.coordinator(cohort.program)
    url = reverse("wellbeing:cohort_csv", args=[cohort.program.slug, cohort.slug])
    return client_for(coordinator).get(url).content.decode()


def period_row(text, index=0):
    return text.splitlines()[1 + index].split(",")[1:]


def test_a_check_in_made_while_in_two_programs_counts_in_neither(two_programs, client_for):
    (a, b), only_a, only_b, both = two_programs
    for person in only_a:
        Pulse.objects.create(user=person, burnout=2, supported=4, created_at=moment(a, 0))
    for person in only_b:
        Pulse.objects.create(user=person, burnout=1, supported=4, created_at=moment(b, 0))
    Pulse.objects.create(user=both, burnout=5, supported=1, created_at=moment(a, 0))
    assert period_row(download(client_for, a)) == ["0", "15", "0", "0", "0", "15"]
    assert period_row(download(client_for, b)) == ["12", "0", "0", "0", "0", "12"]


def test_one_more_check_in_changes_nothing_shown(two_programs, client_for):
    (a, _), only_a, _, _ = two_programs
    for person in only_a[:14]:
        Pulse.objects.create(user=person, burnout=2, supported=4, created_at=moment(a, 0))
        Pulse.objects.create(user=person, burnout=3, supported=4)  # in the running period
    before = download(client_for, a)
    Pulse.objects.create(user=only_a[14], burnout=5, supported=1)  # one more, today
    assert download(client_for, a) == before
    assert len(before.splitlines()) == 2, "only the period that has ended is in the download"


def test_deleting_a_check_in_after_its_period_ended_changes_nothing_shown(two_programs, client_for):
    (a, _), only_a, _, _ = two_programs
    pulses = [
        Pulse.objects.create(user=person, burnout=2, supported=4, created_at=moment(a, 0))
        for person in only_a
    ]
    pulses.append(
        Pulse.objects.create(user=only_a[0], burnout=4, supported=2, created_at=moment(a, 0, 9))
    )
    before = download(client_for, a)
    assert period_row(before) == ["0", "suppressed", "0", "suppressed", "0", "15"]
    pulses[-1].delete()  # the deleted answer would show as 14 → 15 in "2" otherwise
    only_a[1].delete()
    assert download(client_for, a) == before
