"""People recorded as having left (an outcomes departure) are not matched, pooled or placed
again, with the reason shown to the coordinator, and are flagged on the program's rosters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.outcomes import services as outcome_services
from tandem.outcomes.models import Departure
from tandem.rounds import selectors, services
from tests import factories
from tests.rounds.conftest import Round, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(cast) -> Round:
    cohort = factories.CohortFactory(program=cast.program, slug="spring", name="Spring cohort")
    return Round(cohort=cohort, people=enrol(cohort, 6))


def leave(person, program, *, days_ago: int = 3, scope=Departure.Scope.INSTITUTION):
    profile = person.profiles.get(program=program)
    return outcome_services.departure_record(
        profile=profile,
        left_on=timezone.localdate() - dt.timedelta(days=days_ago),
        reason=Departure.Reason.OTHER_INSTITUTION,
        scope=scope,
    )


def test_someone_who_left_the_institution_is_left_out_of_a_match_with_the_reason(
    cast, round_, client_for
):
    gone = round_.people[0]
    leave(gone, cast.program)
    matching = selectors.participants_for_matching(round_.cohort)
    assert str(gone.pk) not in {p.id for p in matching.participants}
    reasons = dict(matching.left_out)
    assert reasons[gone].startswith("left the institution on ")
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    assert all(gone.pk not in group.member_ids for group in run.groups.all())
    url = reverse("rounds:cohort_runs", args=[cast.program.slug, round_.cohort.slug])
    page = client_for(cast.coord).get(url).content.decode()
    assert f"{gone.get_full_name()} — left the institution on" in page


def test_a_departure_dated_in_the_future_does_not_leave_anyone_out_yet(cast, round_):
    gone = round_.people[0]
    profile = gone.profiles.get(program=cast.program)
    outcome_services.departure_record(
        profile=profile,
        left_on=timezone.localdate(),
        reason=Departure.Reason.COMPLETED,
        today=timezone.localdate(),
    )
    Departure.objects.filter(profile=profile).update(
        left_on=timezone.localdate() + dt.timedelta(days=30)
    )
    matching = selectors.participants_for_matching(round_.cohort)
    assert str(gone.pk) in {p.id for p in matching.participants}


def test_someone_who_left_is_not_in_the_rematch_pool_and_cannot_be_placed(cast, round_):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    services.match_run_publish(run=run, by=cast.coord, notify=False)
    late = enrol(round_.cohort, 1, start=20)[0]
    assert late in [entry.user for entry in selectors.rematch_pool(round_.cohort)]
    leave(late, cast.program, scope=Departure.Scope.PROGRAM)
    assert late not in [entry.user for entry in selectors.rematch_pool(round_.cohort)]
    with pytest.raises(ValidationError, match="left the program on"):
        services.placement_options(cohort=round_.cohort, user=late)


def test_rosters_flag_who_has_left(cast, round_, client_for):
    gone = round_.people[0]
    leave(gone, cast.program)
    coord = client_for(cast.coord)
    roster = coord.get(reverse("programs:cohort", args=[cast.program.slug, round_.cohort.slug]))
    people = coord.get(reverse("programs:people", args=[cast.program.slug]))
    for page in (roster.content.decode(), people.content.decode()):
        assert page.count("Has left the institution on") == 1
    # Another program's coordinator sees neither the person nor the flag.
    other = client_for(cast.other_coord)
    assert other.get(reverse("programs:people", args=[cast.program.slug])).status_code == 404
