"""What coordinators see: the share of partnerships that can meet, small counts suppressed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.schedules.models import ScheduleBlock
from tandem.schedules.reports import window_coverage
from tests import factories


def test_one_partnership_is_a_small_cell_and_stays_hidden(cast, client_for) -> None:
    coverage = window_coverage(cast.program)
    assert coverage.table.cells == ((None, 0),)
    assert coverage.share() is None
    page = client_for(cast.coord).get("/programs/riverside/schedules/").content.decode()
    assert "hidden" in page


def test_with_enough_partnerships_the_share_is_shown(cast) -> None:
    for _ in range(12):
        pair = [factories.participant(cast.cohort), factories.participant(cast.cohort)]
        factories.partnership(cast.cohort, pair)
    coverage = window_coverage(cast.program)
    assert coverage.table.cells == ((13, 0),)
    assert coverage.share() == 100


def test_a_lone_partnership_that_cannot_meet_is_not_revealed_by_subtraction(cast) -> None:
    for _ in range(12):
        pair = [factories.participant(cast.cohort), factories.participant(cast.cohort)]
        factories.partnership(cast.cohort, pair)
    today = timezone.localdate()
    ScheduleBlock.objects.create(
        user=cast.bob,
        starts_at=dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(today + dt.timedelta(days=20), dt.time(0), tzinfo=dt.UTC),
        whole_days=True,
        kind="vacation",
        source="upload",
    )
    coverage = window_coverage(cast.program)
    assert coverage.table.cells == ((None, None),)
    assert coverage.share() is None


def test_the_aggregate_never_shows_schedules_or_names(cast, client_for) -> None:
    ScheduleBlock.objects.create(
        user=cast.bob,
        starts_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
        ends_at=dt.datetime(2099, 1, 2, tzinfo=dt.UTC),
        kind="night",
        label="Night float MICU",
        source="upload",
    )
    page = client_for(cast.coord).get("/programs/riverside/schedules/").content.decode()
    assert "Night float" not in page
    assert "Bob" not in page
