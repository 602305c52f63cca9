"""Recording outcomes by hand: validation by field, dedup, and the coordinator's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.outcomes import services
from tandem.outcomes.models import Departure, Publication, RankChange

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def test_a_rank_change_must_use_rungs_of_the_programs_ladder(alice_profile):
    with pytest.raises(ValidationError) as caught:
        services.rank_change_record(
            profile=alice_profile,
            from_rung="PGY2",
            to_rung="Grand vizier",
            changed_on=dt.date(2026, 1, 1),
            today=TODAY,
        )
    assert "to_rung" in caught.value.message_dict
    assert not RankChange.objects.exists()


def test_rungs_are_stored_in_the_programs_spelling(alice_profile):
    change, created = services.rank_change_record(
        profile=alice_profile, from_rung="pgy2", to_rung="pgy3", changed_on=dt.date(2026, 1, 1)
    )
    assert created
    assert (change.from_rung, change.to_rung) == ("PGY2", "PGY3")
    assert change.is_promotion(alice_profile.program)


def test_a_departure_in_the_future_is_refused(alice_profile):
    with pytest.raises(ValidationError) as caught:
        services.departure_record(
            profile=alice_profile, left_on=dt.date(2026, 7, 1), reason="personal", today=TODAY
        )
    assert "left_on" in caught.value.message_dict


def test_a_person_leaves_once_and_a_second_entry_corrects_the_first(alice_profile):
    services.departure_record(
        profile=alice_profile, left_on=dt.date(2026, 1, 1), reason="personal", today=TODAY
    )
    services.departure_record(
        profile=alice_profile, left_on=dt.date(2026, 2, 1), reason="completed", today=TODAY
    )
    departure = Departure.objects.get(profile=alice_profile)
    assert departure.left_on == dt.date(2026, 2, 1)
    assert not departure.is_attrition


def test_the_same_publication_by_doi_is_recorded_once(alice_profile):
    first, created = services.publication_record(
        profile=alice_profile, title="Peer mentoring", year=2025, doi="https://doi.org/10.1000/ABC"
    )
    again, created_again = services.publication_record(
        profile=alice_profile, title="Peer mentoring (preprint)", year=2024, doi="10.1000/abc"
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert first.doi == "10.1000/abc"
    assert Publication.objects.count() == 1


def test_a_pmid_found_later_is_added_to_the_existing_record(alice_profile):
    services.publication_record(profile=alice_profile, title="Peer mentoring", year=2025)
    record, created = services.publication_record(
        profile=alice_profile, title="peer   mentoring", year=2025, pmid="123"
    )
    assert not created
    assert record.pmid == "123"


def test_a_bad_doi_is_refused_on_its_field(alice_profile):
    with pytest.raises(ValidationError) as caught:
        services.publication_record(profile=alice_profile, title="X", year=2025, doi="not-a-doi")
    assert "doi" in caught.value.message_dict


def test_the_coordinator_adds_a_grant_by_hand(cast, client_for, alice_profile):
    url = reverse("outcomes:add", args=[cast.program.slug, alice_profile.pk]) + "?kind=grant"
    response = client_for(cast.coord).post(
        url, {"funder": "NIH", "role": "pi", "year": "2025", "title": "K23"}
    )
    assert response.status_code == 302
    page = client_for(cast.coord).get(response["Location"])
    assert "NIH" in page.content.decode()


def test_a_form_with_an_error_keeps_what_was_typed(cast, client_for, alice_profile):
    url = reverse("outcomes:add", args=[cast.program.slug, alice_profile.pk]) + "?kind=publication"
    response = client_for(cast.coord).post(
        url, {"title": "My careful title", "journal": "JAMA", "year": "2025", "doi": "oops"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a DOI" in body
    assert 'value="My careful title"' in body
    assert 'value="JAMA"' in body
    assert not Publication.objects.exists()


def test_the_coordinator_removes_an_outcome(cast, client_for, alice_profile):
    grant, _ = services.grant_record(profile=alice_profile, funder="NIH", role="pi", year=2025)
    url = reverse("outcomes:delete", args=[cast.program.slug, alice_profile.pk])
    response = client_for(cast.coord).post(url, {"kind": "grant", "outcome_id": grant.pk})
    assert response.status_code == 302
    assert not type(grant).objects.exists()


def test_an_outcome_of_another_person_cannot_be_removed_through_this_one(
    cast, client_for, alice_profile, bob_profile
):
    grant, _ = services.grant_record(profile=bob_profile, funder="NIH", role="pi", year=2025)
    url = reverse("outcomes:delete", args=[cast.program.slug, alice_profile.pk])
    response = client_for(cast.coord).post(url, {"kind": "grant", "outcome_id": grant.pk})
    assert response.status_code == 404
    assert type(grant).objects.filter(pk=grant.pk).exists()


def test_another_programs_coordinator_cannot_see_a_person(cast, client_for, alice_profile):
    url = reverse("outcomes:person", args=[cast.program.slug, alice_profile.pk])
    assert client_for(cast.other_coord).get(url).status_code == 404
    assert client_for(cast.alice).get(url).status_code == 404
    assert client_for(cast.rhea).get(url).status_code == 404
    assert client_for(cast.coord).get(url).status_code == 200


def test_an_unknown_kind_of_outcome_is_not_found(cast, client_for, alice_profile):
    url = reverse("outcomes:add", args=[cast.program.slug, alice_profile.pk])
    assert client_for(cast.coord).get(url + "?kind=award").status_code == 404
    assert client_for(cast.coord).get(url).status_code == 404


def test_the_rank_change_form_offers_the_programs_ladder(cast, client_for, alice_profile):
    url = reverse("outcomes:add", args=[cast.program.slug, alice_profile.pk]) + "?kind=rank-change"
    client = client_for(cast.coord)
    page = client.get(url).content.decode()
    assert '<option value="Assistant professor">' in page
    response = client.post(
        url, {"from_rung": "PGY3", "to_rung": "PGY3", "changed_on": "2025-07-01"}
    )
    assert response.status_code == 200
    assert "must differ" in response.content.decode()
    assert not RankChange.objects.exists()
    response = client.post(
        url, {"from_rung": "PGY3", "to_rung": "Chief resident", "changed_on": "2025-07-01"}
    )
    assert response.status_code == 302
    assert RankChange.objects.get().to_rung == "Chief resident"
