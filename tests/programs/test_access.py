"""Role × route: every program page answers each actor as the policy says."""

from __future__ import annotations

import pytest
from django.urls import reverse

ANON, ALICE, DAVE, COORD, OTHER_COORD, RHEA, OLGA = (
    "anon",
    "alice",
    "dave",
    "coord",
    "other_coord",
    "rhea",
    "olga",
)
ACTORS = (ANON, ALICE, DAVE, COORD, OTHER_COORD, RHEA, OLGA)

# The program's management pages: its coordinators and the operator only.
MANAGE = {ANON: 302, ALICE: 404, DAVE: 404, COORD: 200, OTHER_COORD: 404, RHEA: 404, OLGA: 200}


def _routes(cast):
    program, cohort = cast.program.slug, cast.cohort.slug
    alice_profile = cast.alice.profiles.get().pk
    return {
        "programs:detail": (reverse("programs:detail", args=[program]), MANAGE),
        "programs:edit": (reverse("programs:edit", args=[program]), MANAGE),
        "programs:people": (reverse("programs:people", args=[program]), MANAGE),
        "programs:person": (reverse("programs:person", args=[program, alice_profile]), MANAGE),
        "programs:cohort_create": (reverse("programs:cohort_create", args=[program]), MANAGE),
        "programs:cohort": (reverse("programs:cohort", args=[program, cohort]), MANAGE),
        "programs:cohort_edit": (reverse("programs:cohort_edit", args=[program, cohort]), MANAGE),
        "programs:roster_upload": (
            reverse("programs:roster_upload", args=[program, cohort]),
            MANAGE,
        ),
        "programs:list": (
            reverse("programs:list"),
            {actor: 302 if actor == ANON else 200 for actor in ACTORS},
        ),
        "programs:create": (
            reverse("programs:create"),
            {ANON: 302, ALICE: 404, DAVE: 404, COORD: 200, OTHER_COORD: 200, RHEA: 404, OLGA: 200},
        ),
        "participant:profile": (
            reverse("participant:profile", args=[program]),
            {ANON: 302, ALICE: 200, DAVE: 404, COORD: 404, OTHER_COORD: 404, RHEA: 404, OLGA: 404},
        ),
        "home": (reverse("home"), dict.fromkeys(ACTORS, 200)),
        "accounts:api_tokens": (
            reverse("accounts:api_tokens"),
            {actor: 302 if actor == ANON else 200 for actor in ACTORS},
        ),
    }


ROUTE_NAMES = [
    "programs:detail",
    "programs:edit",
    "programs:people",
    "programs:person",
    "programs:cohort_create",
    "programs:cohort",
    "programs:cohort_edit",
    "programs:roster_upload",
    "programs:list",
    "programs:create",
    "participant:profile",
    "home",
    "accounts:api_tokens",
]


@pytest.mark.parametrize("route", ROUTE_NAMES)
@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_the_expected_answer(cast, client_for, route, actor):
    url, expected = _routes(cast)[route]
    user = None if actor == ANON else getattr(cast, actor)
    response = client_for(user).get(url)
    assert response.status_code == expected[actor], f"{actor} on {url}"
    if expected[actor] == 302:
        assert response["Location"].startswith(reverse("account_login"))


def test_coordinator_sees_profile_fields_of_own_program(cast, client_for):
    profile = cast.alice.profiles.get()
    url = reverse("programs:person", args=[cast.program.slug, profile.pk])
    page = client_for(cast.coord).get(url).content.decode()
    assert profile.main_thing in page
    assert "alice@example.org" in page
    assert "research" in page


def test_other_programs_people_are_not_listed_to_a_coordinator(cast, client_for):
    page = client_for(cast.coord).get(reverse("programs:people", args=["riverside"])).content
    assert b"Alice Adams" in page
    assert b"Dave Diaz" not in page


def test_signed_in_pages_are_not_stored_by_browsers(cast, client_for):
    response = client_for(cast.alice).get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_a_strict_content_security_policy(cast, client_for):
    response = client_for(cast.coord).get(reverse("programs:detail", args=["riverside"]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert b"<script>" not in response.content
