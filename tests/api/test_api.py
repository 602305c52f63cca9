"""The API: schema and docs, personal tokens, and the same access rules as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import ApiToken
from tandem.accounts.services import api_token_create, api_token_revoke
from tandem.core.tokens import hash_secret


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_the_openapi_schema_and_docs_are_served(db):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/me/profiles/{program_slug}" in paths
    assert "/api/v1/programs/{slug}/cohorts/{cohort_slug}/enrollments" in paths
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200


def test_anonymous_requests_get_401(db):
    assert Client().get("/api/v1/me").status_code == 401
    assert bearer("tdm_wrong").get("/api/v1/me").status_code == 401


def test_a_token_is_stored_hashed_and_authenticates_its_owner(cast):
    token, secret = api_token_create(user=cast.alice, name="script")
    assert secret not in token.key_hash
    assert ApiToken.objects.get(pk=token.pk).key_hash == hash_secret(secret)
    response = bearer(secret).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.org"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_no_longer_works(cast):
    token, secret = api_token_create(user=cast.alice, name="script")
    api_token_revoke(token=token)
    assert bearer(secret).get("/api/v1/me").status_code == 401


def test_the_token_page_shows_a_new_secret_once(cast, client_for):
    client = client_for(cast.alice)
    created = client.post(
        reverse("accounts:api_tokens"), {"name": "laptop", "scope": "read", "lifetime_days": 90}
    )
    token = ApiToken.objects.get(user=cast.alice)
    secret = created.context["new_secret"]
    assert secret.startswith(token.prefix)
    assert secret.encode() in created.content
    assert secret.encode() not in client.get(reverse("accounts:api_tokens")).content


def test_a_person_cannot_revoke_someone_elses_token(cast, client_for):
    token, secret = api_token_create(user=cast.alice, name="script")
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert client_for(cast.bob).post(url).status_code == 404
    assert bearer(secret).get("/api/v1/me").status_code == 200
    assert client_for(cast.alice).post(url).status_code == 302
    assert bearer(secret).get("/api/v1/me").status_code == 401


def test_session_auth_works_for_the_browser(cast, client_for):
    response = client_for(cast.alice).get("/api/v1/me/profiles")
    assert response.status_code == 200
    assert [p["program"] for p in response.json()] == ["riverside"]


def test_a_participant_updates_their_own_profile(cast):
    _, secret = api_token_create(user=cast.alice, name="script")
    payload = {
        "stage": "pgy3",
        "specialty": "Pediatrics",
        "offers": ["teaching"],
        "seeks": ["grants"],
        "main_thing": "Lead a QI project",
        "specialty_preference": "different",
        "availability": ["tue-pm"],
    }
    response = bearer(secret).put(
        "/api/v1/me/profiles/riverside", data=json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "PGY3"
    assert response.json()["specialty_preference"] == "different"


def test_a_bad_profile_update_is_refused_with_reasons(cast):
    _, secret = api_token_create(user=cast.alice, name="script")
    response = bearer(secret).put(
        "/api/v1/me/profiles/riverside",
        data=json.dumps({"stage": "Dean", "offers": ["juggling"]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "stage" in detail
    assert "offers" in detail
    cast.alice.profiles.get().refresh_from_db()
    assert cast.alice.profiles.get().stage == "PGY2"


def test_a_participant_of_another_program_has_no_profile_there(cast):
    _, secret = api_token_create(user=cast.dave, name="script")
    assert bearer(secret).get("/api/v1/me/profiles/riverside").status_code == 404


ENDPOINTS = [
    "/api/v1/programs/riverside",
    "/api/v1/programs/riverside/cohorts",
    "/api/v1/programs/riverside/cohorts/fall",
    "/api/v1/programs/riverside/cohorts/fall/enrollments",
]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("coord", 200),
        ("olga", 200),
        ("other_coord", 404),
        ("alice", 404),
        ("dave", 404),
        ("rhea", 404),
    ],
)
def test_program_endpoints_answer_only_the_programs_coordinators(cast, url, actor, expected):
    _, secret = api_token_create(user=getattr(cast, actor), name="script")
    assert bearer(secret).get(url).status_code == expected


def test_the_program_list_holds_only_coordinated_programs(cast):
    _, secret = api_token_create(user=cast.coord, name="script")
    assert [p["slug"] for p in bearer(secret).get("/api/v1/programs").json()] == ["riverside"]
    _, secret = api_token_create(user=cast.alice, name="script")
    assert bearer(secret).get("/api/v1/programs").json() == []


def test_enrollments_are_paginated_and_list_the_cohort(cast):
    _, secret = api_token_create(user=cast.coord, name="script")
    body = bearer(secret).get("/api/v1/programs/riverside/cohorts/fall/enrollments").json()
    assert body["count"] == 3
    assert {item["email"] for item in body["items"]} == {
        "alice@example.org",
        "bob@example.org",
        "carol@example.org",
    }


def test_a_coordinator_creates_a_cohort_and_bad_dates_are_refused(cast):
    _, secret = api_token_create(user=cast.coord, name="script")
    client = bearer(secret)
    good = {"name": "Winter", "starts_on": "2027-01-01", "ends_on": "2027-06-30", "mode": "circles"}
    response = client.post(
        "/api/v1/programs/riverside/cohorts", data=json.dumps(good), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["slug"] == "winter"
    bad = {"name": "Backwards", "starts_on": "2027-06-30", "ends_on": "2027-01-01"}
    response = client.post(
        "/api/v1/programs/riverside/cohorts", data=json.dumps(bad), content_type="application/json"
    )
    assert response.status_code == 422
    assert "ends_on" in response.json()["detail"]


def test_session_writes_need_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.coord, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/api/v1/programs/riverside/cohorts",
        data=json.dumps({"name": "X", "starts_on": "2027-01-01", "ends_on": "2027-02-01"}),
        content_type="application/json",
    )
    assert response.status_code == 403
