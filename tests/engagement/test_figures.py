"""Dashboard engagement figures: counted right, suppressed as one table, and no count of 1 to
10 partnerships comes out of the shown cells, totals and shares by subtraction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.engagement.figures import COLUMNS, ROWS, cohort_counts, engagement_table
from tandem.engagement.models import ContactCheck, Escalation, Rematch
from tandem.partnerships.models import Partnership
from tandem.workspace.models import Meeting
from tests import factories
from tests.differencing import recovered_small_cells


def facts_of(table):
    """Every shown entry as a linear fact about the hidden cells (row, column)."""
    facts = []
    rows, columns = range(len(ROWS)), range(len(COLUMNS))
    for i in rows:
        for j in columns:
            if table.cells[i][j] is not None:
                facts.append(({(i, j): 1}, table.cells[i][j]))
        if table.row_totals[i] is not None:
            facts.append(({(i, j): 1 for j in columns}, table.row_totals[i]))
    for j in columns:
        if table.column_totals[j] is not None:
            facts.append(({(i, j): 1 for i in rows}, table.column_totals[j]))
    if table.grand_total is not None:
        facts.append(({(i, j): 1 for i in rows for j in columns}, table.grand_total))
    return facts


count = st.one_of(st.integers(0, 12), st.integers(11, 40))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(count, count), min_size=4, max_size=4))
def test_no_small_count_can_be_recovered_from_the_shown_figures(counts):
    table = engagement_table([list(row) for row in counts]).table
    truth = {(i, j): counts[i][j] for i in range(4) for j in range(2)}
    assert recovered_small_cells(truth, facts_of(table)) == []
    shown = [*table.row_totals, *table.column_totals, table.grand_total]
    shown += [value for row in table.cells for value in row]
    assert not [value for value in shown if value is not None and 1 <= value <= 10]


def test_shares_are_read_off_shown_counts_only():
    figures = engagement_table([[30, 15], [0, 12], [11, 0], [0, 20]])
    assert dict(figures.shares) == {
        "First contact by day 14": f"{41 / 88:.0%}",
        "At risk, not rescued": f"{12 / 88:.0%}",
        "Rescued": f"{11 / 88:.0%}",
        "Rematched": f"{20 / 88:.0%}",
    }
    hidden = engagement_table([[30, 5], [0, 12], [11, 0], [0, 20]])
    assert hidden.table.cells[0][1] is None
    for (_, share), total in zip(
        hidden.shares, [hidden.table.column_totals[0], *hidden.table.row_totals[1:]], strict=True
    ):
        assert (share is None) == (total is None)
    tiny = engagement_table([[3, 0], [0, 0], [0, 0], [0, 0]])
    assert set(dict(tiny.shares).values()) == {None}


@pytest.mark.django_db
def test_each_partnership_is_counted_in_its_row_and_column(cast):
    now = timezone.now()
    start = now - dt.timedelta(days=40)

    def pair(*, started=start):
        people = [factories.participant(cast.cohort) for _ in range(2)]
        made = factories.partnership(cast.cohort, people)
        Partnership.objects.filter(pk=made.pk).update(activated_at=started)
        made.refresh_from_db()
        return made, people

    quick, people = pair()  # yes on day 5: first contact by day 14, never at risk
    ContactCheck.objects.create(
        partnership=quick,
        member=people[0],
        day=7,
        answer="yes",
        answered_at=start + dt.timedelta(days=5),
    )
    met_late, _ = pair()  # a meeting on day 25 after being at risk: rescued, not by day 14
    Meeting.objects.create(
        partnership=met_late, number=1, starts_at=start + dt.timedelta(days=25), status="held"
    )
    Escalation.objects.create(partnership=met_late, level="at_risk", cleared_at=now)
    stalled, _ = pair()  # still at risk
    Escalation.objects.create(partnership=stalled, level="at_risk")
    gone, people = pair()  # rematched
    Escalation.objects.create(partnership=gone, level="at_risk")
    Rematch.objects.create(partnership=gone, cohort=cast.cohort, asked_by=people[0])
    pair(started=now - dt.timedelta(days=3))  # too young to count
    counts = cohort_counts(cast.cohort, now=now)
    # The cast's own partnership started today: not counted either.
    assert counts == [[1, 0], [0, 1], [0, 1], [0, 1]]


@pytest.mark.django_db
def test_the_cohort_dashboard_shows_the_figures_suppressed(cast, client_for):
    Partnership.objects.filter(pk=cast.partnership.pk).update(
        activated_at=timezone.now() - dt.timedelta(days=20)
    )
    page = client_for(cast.coord).get(reverse("insights:cohort", args=["riverside", "fall"]))
    text = page.content.decode()
    assert "How partnerships started" in text
    assert 'class="withheld"' in text
    assert "First contact by day 14: —" in text
