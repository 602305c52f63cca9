"""A late joiner enters a partnership only with the consent of every current member.

Played through the pages and the API: the coordinator asks from the pool page, each member
answers on their own page (or through the API), the newcomer sees nothing of the partnership
until everyone agreed and they accepted, and one "no" ends the placement without anyone being
told whose it was.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.partnerships.models import PartnershipMember
from tandem.rounds.models import Placement, PlacementConsent
from tests.rounds import joiners

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(signed, client_for, django_capture_on_commit_callbacks):
    """The coordinator has asked alice and bob whether Lou may join their pair."""
    signed.lou = joiners.newcomer(signed.partnership)
    with django_capture_on_commit_callbacks(execute=True):
        signed.placement = joiners.ask(client_for, signed.coord, signed.lou, signed.partnership)
    return signed


def test_every_current_member_is_asked_by_email_and_the_newcomer_hears_nothing_yet(asked):
    assert sorted(m.to[0] for m in mail.outbox) == sorted([asked.alice.email, asked.bob.email])
    link = reverse("rounds:placement", args=[asked.placement.pk])
    assert all(link in m.body and "Lou Late" in m.body for m in mail.outbox)
    assert not PartnershipMember.objects.filter(user=asked.lou).exists()


def test_before_everyone_agreed_the_newcomer_reaches_nothing_of_the_partnership(asked, client_for):
    joiners.answer(client_for, asked.alice, asked.placement, agree=True)
    lou = client_for(asked.lou)
    pair = asked.partnership.pk
    for url in (
        reverse("workspace:home", args=[pair]),
        reverse("workspace:notes", args=[pair]),
        reverse("rounds:proposal", args=[pair]),
        reverse("rounds:placement", args=[asked.placement.pk]),
        f"/api/v1/partnerships/{pair}/notes",
        f"/api/v1/me/proposals/{pair}",
        f"/api/v1/me/joiners/{asked.placement.pk}",
    ):
        assert lou.get(url).status_code == 404, url
    assert lou.post(reverse("rounds:proposal_accept", args=[pair])).status_code == 404


def test_only_the_asked_members_open_the_consent_page_and_api(asked, client_for):
    page = reverse("rounds:placement", args=[asked.placement.pk])
    api = f"/api/v1/me/joiners/{asked.placement.pk}"
    for member in (asked.alice, asked.bob):
        assert client_for(member).get(page).status_code == 200
        assert client_for(member).get(api).json()["newcomer"]["name"] == "Lou Late"
    for outsider in (asked.carol, asked.dave, asked.coord, asked.other_coord, asked.rhea):
        assert client_for(outsider).get(page).status_code == 404
        assert client_for(outsider).get(api).status_code == 404
        answer = client_for(outsider).post(
            f"{api}/answer", {"agree": True}, content_type="application/json"
        )
        assert answer.status_code == 404
    assert asked.placement.consents.filter(answer="pending").count() == 2


def test_when_everyone_agrees_the_newcomer_is_invited_and_joins_on_accepting(
    asked, client_for, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    joiners.answer(client_for, asked.alice, asked.placement, agree=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(asked.bob).post(
            f"/api/v1/me/joiners/{asked.placement.pk}/answer",
            {"agree": True},
            content_type="application/json",
        )
    assert response.json()["status"] == Placement.Status.AGREED
    invitation = next(m for m in mail.outbox if m.to == [asked.lou.email])
    assert reverse("rounds:proposal", args=[asked.partnership.pk]) in invitation.body
    heads_up = [m for m in mail.outbox if m.to != [asked.lou.email]]
    assert sorted(m.to[0] for m in heads_up) == sorted([asked.alice.email, asked.bob.email])
    assert all("from now on" in m.body for m in heads_up)
    lou = client_for(asked.lou)
    assert lou.get(reverse("workspace:home", args=[asked.partnership.pk])).status_code == 404
    joiners.accept(client_for, asked.lou, asked.partnership)
    assert lou.get(reverse("workspace:home", args=[asked.partnership.pk])).status_code == 200
    placed = AuditEvent.objects.get(
        action=AuditEvent.Action.PLACEMENT, detail__event="late_joiner_placed"
    )
    assert placed.actor == asked.coord
    assert placed.detail["newcomer"] == asked.lou.pk


def test_one_no_cancels_the_placement_and_nobody_learns_whose_it_was(
    asked, client_for, django_capture_on_commit_callbacks
):
    joiners.answer(client_for, asked.alice, asked.placement, agree=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        joiners.answer(client_for, asked.bob, asked.placement, agree=False)
    asked.placement.refresh_from_db()
    assert asked.placement.status == Placement.Status.NOT_AGREED
    assert not PartnershipMember.objects.filter(user=asked.lou).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([asked.lou.email, asked.coord.email])
    for message in mail.outbox:
        text = message.subject + message.body
        for member in (asked.alice, asked.bob):
            assert member.email not in text
            assert member.full_name not in text
            assert member.display_name not in text
            assert member.full_name.split()[0] not in text
    refused = AuditEvent.objects.get(detail__event="late_joiner_not_agreed")
    assert refused.actor is None
    assert str(asked.bob.pk) not in str(refused.detail)
    # The coordinator's pages show no answers, and the decided placement closes for everyone.
    pool = reverse("rounds:cohort_runs", args=[asked.program.slug, asked.cohort.slug])
    assert "did not agree" not in client_for(asked.coord).get(pool).content.decode().lower()
    page = reverse("rounds:placement", args=[asked.placement.pk])
    assert client_for(asked.alice).get(page).status_code == 404


def test_answering_twice_or_after_the_decision_changes_nothing(asked, client_for):
    joiners.answer(client_for, asked.alice, asked.placement, agree=True)
    joiners.answer(client_for, asked.alice, asked.placement, agree=False)
    consent = PlacementConsent.objects.get(placement=asked.placement, member=asked.alice)
    assert consent.answer == PlacementConsent.Answer.YES
    joiners.answer(client_for, asked.bob, asked.placement, agree=False)
    again = client_for(asked.alice).post(
        f"/api/v1/me/joiners/{asked.placement.pk}/answer",
        {"agree": True},
        content_type="application/json",
    )
    assert again.status_code == 404
    assert Placement.objects.get().status == Placement.Status.NOT_AGREED


def test_a_partnership_answers_one_placement_at_a_time(asked, client_for):
    other = joiners.newcomer(asked.partnership, name="Max Second")
    url = reverse("rounds:place", args=[asked.program.slug, asked.cohort.slug, other.pk])
    client_for(asked.coord).post(url, {"partnership": asked.partnership.pk})
    assert Placement.objects.filter(newcomer=other).count() == 0
    api = client_for(asked.coord).post(
        f"/api/v1/programs/{asked.program.slug}/cohorts/{asked.cohort.slug}/placements",
        {"user_id": other.pk, "partnership_id": asked.partnership.pk},
        content_type="application/json",
    )
    assert api.status_code == 422


def test_the_members_see_the_request_on_their_matches_page(asked, client_for):
    page = client_for(asked.alice).get(reverse("rounds:proposals")).content.decode()
    assert "Lou Late would like to join" in page
    listing = client_for(asked.bob).get("/api/v1/me/joiners").json()
    assert [row["placement_id"] for row in listing] == [asked.placement.pk]
    assert client_for(asked.lou).get("/api/v1/me/joiners").json() == []


def test_each_asked_member_finds_the_question_on_their_home_page(asked, client_for):
    for member in (asked.alice, asked.bob):
        client = client_for(member)
        home = client.get("/").content.decode()
        title = f"{asked.lou.display_name} would like to join your partnership"
        assert title in home
        url = reverse("rounds:placement", args=[asked.placement.pk])
        assert f'href="{url}"' in home
        assert client.get(url).status_code == 200
    assert "would like to join" not in client_for(asked.lou).get("/").content.decode()
    assert "would like to join" not in client_for(asked.carol).get("/").content.decode()
