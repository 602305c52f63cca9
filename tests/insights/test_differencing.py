"""A coordinator puts the program dashboard beside each cohort's dashboard, downloads and all,
and subtracts: no count of 1 to 10 people (or goals) comes out.

Random programs are built in the database and every figure is read through the real CSV
downloads; the attacker (tests/differencing.py) combines all of them at once.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.accounts.models import User
from tandem.insights import selectors
from tandem.partnerships.models import Partnership
from tandem.workspace.models import Goal
from tests import factories
from tests.differencing import recovered_small_cells
from tests.insights.helpers import Shape, build

STEPS = len(selectors.FUNNEL_STEPS)
GOAL_STATUSES = [str(status) for status in selectors.GOAL_STATUSES]

count = st.one_of(st.integers(0, 12), st.integers(11, 30))
cohort_strategy = st.fixed_dictionaries(
    {
        "shape": st.tuples(count, count, count),
        "goals": st.tuples(count, count, count, count),
    }
)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))[1:]


def funnel_facts(text, names, scope):
    """Each shown 'reached' count: the sum of the furthest-step cells from that step on."""
    facts = []
    for label, *reached in rows_of(text):
        members = scope if label == "All cohorts" else [names.index(label)]
        for step, value in enumerate(reached):
            if value.isdigit():
                cells = {(row, later): 1 for row in members for later in range(step, STEPS)}
                facts.append((cells, int(value)))
    return facts


def table_facts(text, names, scope, columns):
    """Each shown entry of a suppressed table: a cell, a row total, a column total or the corner."""
    facts = []
    for label, *values in rows_of(text):
        members = scope if label == "Total" else [names.index(label)]
        for column, value in enumerate(values):
            if value.isdigit():
                wanted = [column] if column < columns else list(range(columns))
                cells = {(row, c): 1 for row in members for c in wanted}
                facts.append((cells, int(value)))
    return facts


def make_program(cohorts):
    program = factories.ProgramFactory()
    made = []
    for index, spec in enumerate(cohorts):
        cohort = factories.CohortFactory(program=program, name=f"Cohort {index}")
        invited, enrolled, profile = spec["shape"]
        build(
            cohort,
            Shape(invited_only=invited, enrolled=enrolled, profile=profile),
            prefix=f"h{index}",
        )
        owner = User.objects.create(email=f"owner{index}-{cohort.pk}@example.org")
        pair = Partnership.objects.create(cohort=cohort, status=Partnership.Status.ACTIVE)
        Goal.objects.bulk_create(
            Goal(partnership=pair, owner=owner, title="g", status=status)
            for status, number in zip(GOAL_STATUSES, spec["goals"], strict=True)
            for _ in range(number)
        )
        made.append(cohort)
    return program, made


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cohorts=st.lists(cohort_strategy, min_size=2, max_size=3))
def test_program_and_cohort_downloads_together_recover_no_small_count(db, client_for, cohorts):
    program, made = make_program(cohorts)
    names = [cohort.name for cohort in made]
    everyone = list(range(len(made)))
    client = client_for(factories.coordinator(program))
    program_csv = reverse("insights:program_csv", args=[program.slug])
    funnel, goals = [], []
    funnel += funnel_facts(
        client.get(program_csv, {"table": "funnel"}).content.decode(), names, everyone
    )
    goals += table_facts(
        client.get(program_csv, {"table": "goals"}).content.decode(), names, everyone, 4
    )
    for index, cohort in enumerate(made):
        url = reverse("insights:cohort_csv", args=[program.slug, cohort.slug])
        funnel += funnel_facts(
            client.get(url, {"table": "funnel"}).content.decode(), names, [index]
        )
        goals += table_facts(
            client.get(url, {"table": "goals"}).content.decode(), names, [index], 4
        )

    funnel_truth = {(row, step): 0 for row in everyone for step in range(STEPS)}
    for row, spec in enumerate(cohorts):
        for step, number in enumerate(spec["shape"]):
            funnel_truth[(row, step)] = number
    goal_truth = {
        (row, column): spec["goals"][column]
        for row, spec in enumerate(cohorts)
        for column in range(4)
    }
    assert recovered_small_cells(funnel_truth, funnel) == []
    assert recovered_small_cells(goal_truth, goals) == []
