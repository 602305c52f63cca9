"""Nobody places themself: a coordinator (or the operator) who is also a participant is matched
and placed only by another coordinator, and every placement is audited with who made it.

Cora, the cast's coordinator, is a chief resident taking part in the spring cohort herself.
She tries, through the pages and the API, every way a coordinator places people: publishing a
run she is in, moving herself or others into or out of her group, locking it, keeping herself
apart from someone, and placing herself (or someone else into her own partnership) as a late
joiner. Each is refused and changes nothing; Rex, the program's other coordinator, can.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.rounds import services
from tandem.rounds.models import MatchRun, Placement
from tests import factories
from tests.rounds import joiners

pytestmark = pytest.mark.django_db

ANOTHER = "another coordinator"


def take_part(user, cohort) -> None:
    factories.EnrollmentFactory(cohort=cohort, user=user)
    factories.ProfileFactory(program=cohort.program, user=user)


@pytest.fixture
def chief(cast, round_):
    """Cora (coord) takes part in the spring cohort; Rex is the program's other coordinator."""
    take_part(cast.coord, round_.cohort)
    cast.rex = factories.coordinator(cast.program, email="rex@example.org", full_name="Rex Ray")
    cast.run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    cast.spring = round_.cohort
    return cast


def _own_group(run: MatchRun, user):
    return next(g for g in run.groups.all() if user.pk in g.member_ids)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_a_coordinator_in_the_run_cannot_publish_it_from_the_page_or_the_api(chief, client_for):
    assert _own_group(chief.run, chief.coord)
    cora = client_for(chief.coord)
    page = cora.post(
        reverse("rounds:run_publish", args=[chief.run.pk]), {"confirm": "yes"}, follow=True
    )
    assert ANOTHER + " of the program must publish it" in _messages(page)
    api = cora.post(f"/api/v1/match-runs/{chief.run.pk}/publish")
    assert api.status_code == 422
    assert ANOTHER in str(api.json()["detail"])
    chief.run.refresh_from_db()
    assert chief.run.status == MatchRun.Status.DRAFT
    assert not Partnership.objects.filter(cohort=chief.spring).exists()


def test_another_coordinator_publishes_it_and_the_audit_log_names_them(chief, client_for):
    api = client_for(chief.rex).post(f"/api/v1/match-runs/{chief.run.pk}/publish")
    assert api.status_code == 200
    assert PartnershipMember.objects.filter(cohort=chief.spring, user=chief.coord).exists()
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.PLACEMENT, detail__event="match_published"
    )
    assert event.actor == chief.rex
    assert chief.coord.pk in event.detail["people"]


def test_a_coordinator_cannot_move_themself_or_anyone_into_or_out_of_their_group(chief, client_for):
    run = chief.run
    mine = _own_group(run, chief.coord)
    other = next(g for g in run.groups.all() if g.pk != mine.pk)
    stranger = other.member_ids[0]
    before = {g.pk: list(g.member_ids) for g in run.groups.all()}
    cora = client_for(chief.coord)
    for person, target in ((chief.coord.pk, other.pk), (stranger, mine.pk)):
        url = reverse("rounds:move", args=[run.pk, person])
        response = cora.post(url, {"group": target}, follow=True)
        assert ANOTHER in _messages(response)
    partner = next(m for m in mine.member_ids if m != chief.coord.pk)
    response = cora.post(
        reverse("rounds:move", args=[run.pk, partner]), {"group": other.pk}, follow=True
    )
    assert ANOTHER in _messages(response)
    assert {g.pk: list(g.member_ids) for g in run.groups.all()} == before
    assert not AuditEvent.objects.filter(detail__event="match_move").exists()
    client_for(chief.rex).post(reverse("rounds:move", args=[run.pk, stranger]), {"group": mine.pk})
    moved = AuditEvent.objects.get(detail__event="match_move")
    assert (moved.actor, moved.detail["person"]) == (chief.rex, stranger)


def test_a_coordinator_cannot_lock_their_own_group_or_keep_themself_apart_from_someone(
    chief, client_for
):
    run = chief.run
    mine = _own_group(run, chief.coord)
    cora = client_for(chief.coord)
    locked = cora.post(
        reverse("rounds:group_lock", args=[run.pk, mine.pk]), {"locked": "1"}, follow=True
    )
    assert ANOTHER in _messages(locked)
    mine.refresh_from_db()
    assert not mine.locked
    someone = next(m for m in run.groups.exclude(pk=mine.pk).first().member_ids)
    forbid = cora.post(
        reverse("rounds:run_forbid", args=[run.pk]),
        {"a": chief.coord.pk, "b": someone},
        follow=True,
    )
    assert ANOTHER in _messages(forbid)
    run.refresh_from_db()
    assert run.forbids == []


def test_nobody_places_themself_as_a_late_joiner_from_the_page_or_the_api(cast, client_for):
    take_part(cast.coord, cast.cohort)
    cora = client_for(cast.coord)
    url = reverse("rounds:place", args=[cast.program.slug, cast.cohort.slug, cast.coord.pk])
    page = cora.post(url, {"partnership": cast.partnership.pk}, follow=True)
    assert "Nobody can place themselves" in _messages(page)
    api = cora.post(
        f"/api/v1/programs/{cast.program.slug}/cohorts/{cast.cohort.slug}/placements",
        {"user_id": cast.coord.pk, "partnership_id": cast.partnership.pk},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert ANOTHER in str(api.json()["detail"])
    assert not Placement.objects.exists()
    assert not PartnershipMember.objects.filter(user=cast.coord).exists()


def test_the_operator_does_not_place_themself_either(cast, client_for):
    take_part(cast.olga, cast.cohort)
    api = client_for(cast.olga).post(
        f"/api/v1/programs/{cast.program.slug}/cohorts/{cast.cohort.slug}/placements",
        {"user_id": cast.olga.pk, "partnership_id": cast.partnership.pk},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert not Placement.objects.exists()


def test_the_database_refuses_a_placement_made_by_its_own_newcomer(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            cohort=cast.cohort,
            partnership=cast.partnership,
            newcomer=cast.carol,
            placed_by=cast.carol,
        )


def test_a_coordinator_member_places_nobody_into_their_own_partnership_but_another_can(
    cast, client_for
):
    take_part(cast.coord, cast.cohort)
    own = factories.partnership(cast.cohort, [cast.coord, cast.carol])
    newcomer = joiners.newcomer(own, name="Nia New")
    url = reverse("rounds:place", args=[cast.program.slug, cast.cohort.slug, newcomer.pk])
    page = client_for(cast.coord).post(url, {"partnership": own.pk}, follow=True)
    assert "You are a member of that partnership" in _messages(page)
    assert not Placement.objects.exists()
    rex = factories.coordinator(cast.program, email="rex@example.org")
    placement = joiners.ask(client_for, rex, newcomer, own)
    assert sorted(placement.consents.values_list("member_id", flat=True)) == sorted(
        [cast.coord.pk, cast.carol.pk]
    )
    asked = AuditEvent.objects.get(detail__event="late_joiner_asked")
    assert (asked.actor, asked.detail["newcomer"]) == (rex, newcomer.pk)


def test_a_participant_with_no_staff_role_reaches_no_placement_at_all(cast, client_for):
    url = reverse("rounds:place", args=[cast.program.slug, cast.cohort.slug, cast.carol.pk])
    assert client_for(cast.carol).post(url, {"partnership": cast.partnership.pk}).status_code == 404
    api = client_for(cast.carol).post(
        f"/api/v1/programs/{cast.program.slug}/cohorts/{cast.cohort.slug}/placements",
        {"user_id": cast.carol.pk, "partnership_id": cast.partnership.pk},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert not Placement.objects.exists()
