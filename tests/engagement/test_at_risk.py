"""The coordinator's at-risk list: their own program only, and never any content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.engagement import services
from tandem.engagement.models import ContactCheck
from tandem.partnerships.models import Partnership
from tests.workspace.factories import goal, note, sign_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_risk(cast) -> Partnership:
    """alice and bob's partnership on day 22, after a "problem" answer, with private content."""
    sign_agreement(cast.partnership)
    note(cast.partnership, cast.alice, body="SECRET-NOTE about a hard week")
    goal(cast.partnership, cast.bob, title="SECRET-GOAL to leave the program")
    Partnership.objects.filter(pk=cast.partnership.pk).update(
        activated_at=timezone.now() - dt.timedelta(days=22)
    )
    ContactCheck.objects.create(
        partnership=cast.partnership,
        member=cast.alice,
        day=14,
        answer=ContactCheck.Answer.PROBLEM,
        answered_at=timezone.now(),
    )
    assert services.engagement_run().at_risk == 1
    return cast.partnership


def url(slug: str = "riverside") -> str:
    return reverse("engagement:at_risk", args=[slug])


def test_the_coordinator_sees_days_first_contact_and_last_meeting_but_no_content(
    cast, client_for, at_risk
):
    page = client_for(cast.coord).get(url()).content.decode()
    assert f"#{at_risk.pk}" in page
    assert ">22<" in page
    assert "At risk" in page
    for private in ("SECRET-NOTE", "SECRET-GOAL", "There is a problem", "problem"):
        assert private not in page


@pytest.mark.parametrize("role", ["alice", "bob", "carol", "dave", "other_coord", "rhea", "olga"])
def test_everyone_but_the_programs_coordinators_gets_404(cast, client_for, at_risk, role):
    assert client_for(getattr(cast, role)).get(url()).status_code == 404
    rules = reverse("engagement:rules", args=["riverside"])
    assert client_for(getattr(cast, role)).post(rules, {"at_risk_day": 15}).status_code == 404


def test_another_programs_coordinator_sees_only_their_own_list(cast, client_for, at_risk):
    page = client_for(cast.other_coord).get(url("lakeside")).content.decode()
    assert f"#{at_risk.pk}" not in page
    assert "No partnership is at risk" in page


def test_the_cohort_hub_and_the_program_page_link_the_list(cast, client_for, at_risk):
    coord = client_for(cast.coord)
    hub = coord.get(reverse("programs:cohort", args=["riverside", "fall"])).content.decode()
    assert "1 partnership at risk." in hub
    assert url() + "?cohort=fall" in hub
    program = coord.get(reverse("programs:detail", args=["riverside"])).content.decode()
    assert url() in program
    # The operator manages the program but has no list to open: no link either.
    operator = client_for(cast.olga).get(reverse("programs:detail", args=["riverside"]))
    assert url() not in operator.content.decode()
    filtered = coord.get(url(), {"cohort": "other"}).content.decode()
    assert f"#{at_risk.pk}" not in filtered


def test_the_operator_sees_the_cohort_hub_without_a_link_to_the_list(cast, client_for, at_risk):
    cohort = reverse("programs:cohort", args=["riverside", "fall"])
    response = client_for(cast.olga).get(cohort)
    assert response.status_code == 200
    # The list answers the operator with a 404, so the hub offers no link to it.
    assert client_for(cast.olga).get(url()).status_code == 404
    assert url() not in response.content.decode()
    assert "partnership at risk" not in response.content.decode()


def test_both_members_see_the_status_on_the_workspace_and_home(cast, client_for, at_risk):
    for member in (cast.alice, cast.bob):
        workspace = client_for(member).get(reverse("workspace:home", args=[at_risk.pk]))
        assert "Status:" in workspace.content.decode()
        assert "At risk" in workspace.content.decode()
        home = client_for(member).get(reverse("home")).content.decode()
        assert "Status: At risk" in home
    assert "At risk" not in client_for(cast.carol).get(reverse("home")).content.decode()
