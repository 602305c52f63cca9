"""Role × route: every wellbeing page and endpoint answers each actor as the policy says."""

from __future__ import annotations

import pytest
from django.urls import reverse

ANON, ALICE, BOB, CAROL, DAVE, COORD, OTHER_COORD, RHEA, OLGA = (
    "anon",
    "alice",
    "bob",
    "carol",
    "dave",
    "coord",
    "other_coord",
    "rhea",
    "olga",
)
ACTORS = (ANON, ALICE, BOB, CAROL, DAVE, COORD, OTHER_COORD, RHEA, OLGA)

SIGNED_IN = {actor: 302 if actor == ANON else 200 for actor in ACTORS}
# alice's own objects: alice only.
OWNER = {actor: 404 for actor in ACTORS} | {ANON: 302, ALICE: 200}
# alice and bob's partnership: its members only.
MEMBERS = {actor: 404 for actor in ACTORS} | {ANON: 302, ALICE: 200, BOB: 200}
# the program's coordinators and the operator; researchers too get 404.
MANAGE = {actor: 404 for actor in ACTORS} | {ANON: 302, COORD: 200, OLGA: 200}


def page_routes(cast, planted):
    program, cohort = cast.program.slug, cast.cohort.slug
    pair = cast.partnership.pk
    return {
        "checkin": (reverse("wellbeing:checkin"), SIGNED_IN),
        "trend_svg": (reverse("wellbeing:trend_svg"), SIGNED_IN),
        "journal": (reverse("wellbeing:journal"), SIGNED_IN),
        "support": (reverse("wellbeing:support"), SIGNED_IN),
        "programs": (reverse("wellbeing:programs"), SIGNED_IN),
        "reflection_edit": (
            reverse("wellbeing:reflection_edit", args=[planted.alice_private_reflection.pk]),
            OWNER,
        ),
        "kudos": (reverse("wellbeing:kudos", args=[pair]), MEMBERS),
        "marathon": (reverse("wellbeing:marathon", args=[pair]), MEMBERS),
        "shared": (reverse("wellbeing:shared", args=[pair]), MEMBERS),
        "program_support": (reverse("wellbeing:program_support", args=[program]), MANAGE),
        "resource_create": (reverse("wellbeing:resource_create", args=[program]), MANAGE),
        "resource_edit": (
            reverse("wellbeing:resource_edit", args=[program, planted.resource.pk]),
            MANAGE,
        ),
        "cohort": (reverse("wellbeing:cohort", args=[program, cohort]), MANAGE),
        "cohort_svg": (reverse("wellbeing:cohort_svg", args=[program, cohort]), MANAGE),
        "cohort_csv": (reverse("wellbeing:cohort_csv", args=[program, cohort]), MANAGE),
    }


PAGE_NAMES = [
    "checkin",
    "trend_svg",
    "journal",
    "support",
    "programs",
    "reflection_edit",
    "kudos",
    "marathon",
    "shared",
    "program_support",
    "resource_create",
    "resource_edit",
    "cohort",
    "cohort_svg",
    "cohort_csv",
]


@pytest.mark.parametrize("route", PAGE_NAMES)
@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_the_expected_answer_on_each_page(cast, planted, client_for, route, actor):
    url, expected = page_routes(cast, planted)[route]
    user = None if actor == ANON else getattr(cast, actor)
    response = client_for(user).get(url)
    assert response.status_code == expected[actor], f"{actor} on {url}"
    if expected[actor] == 302:
        assert response["Location"].startswith(reverse("account_login"))


# POST routes that change alice's own objects: alice is redirected back, others get 404.
def post_routes(cast, planted):
    pulse = planted.alice_private_pulse.pk
    reflection = planted.alice_private_reflection.pk
    program = cast.program.slug
    return {
        "pulse_share": (reverse("wellbeing:pulse_share", args=[pulse]), {"shared": "1"}, "owner"),
        "pulse_delete": (reverse("wellbeing:pulse_delete", args=[pulse]), {}, "owner"),
        "reflection_delete": (
            reverse("wellbeing:reflection_delete", args=[reflection]),
            {},
            "owner",
        ),
        "reflection_share": (
            reverse("wellbeing:reflection_share", args=[reflection]),
            {"partnership": cast.partnership.pk, "shared": "1"},
            "owner",
        ),
        "resource_delete": (
            reverse("wellbeing:resource_delete", args=[program, planted.resource.pk]),
            {},
            "manage",
        ),
    }


POST_NAMES = [
    "pulse_share",
    "pulse_delete",
    "reflection_delete",
    "reflection_share",
    "resource_delete",
]


@pytest.mark.parametrize("route", POST_NAMES)
@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_the_expected_answer_on_each_change(
    cast, planted, client_for, route, actor
):
    url, data, rule = post_routes(cast, planted)[route]
    allowed = {"owner": {ALICE}, "manage": {COORD, OLGA}}[rule]
    user = None if actor == ANON else getattr(cast, actor)
    response = client_for(user).post(url, data)
    if actor == ANON:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif actor in allowed:
        assert response.status_code == 302
    else:
        assert response.status_code == 404, f"{actor} on {url}"


def test_changes_by_outsiders_leave_the_owners_objects_untouched(cast, planted, client_for):
    pulse, reflection = planted.alice_private_pulse, planted.alice_private_reflection
    for actor in (cast.bob, cast.coord, cast.olga):
        client = client_for(actor)
        client.post(reverse("wellbeing:pulse_share", args=[pulse.pk]), {"shared": "1"})
        client.post(reverse("wellbeing:pulse_delete", args=[pulse.pk]))
        client.post(reverse("wellbeing:reflection_delete", args=[reflection.pk]))
    pulse.refresh_from_db()
    reflection.refresh_from_db()
    assert pulse.shared_with_partners is False


def test_a_participant_cannot_share_into_a_partnership_they_are_not_in(cast, planted, client_for):
    reflection = planted.alice_private_reflection
    from tests import factories

    other = factories.partnership(cast.cohort, [cast.carol, factories.participant(cast.cohort)])
    response = client_for(cast.alice).post(
        reverse("wellbeing:reflection_share", args=[reflection.pk]),
        {"partnership": other.pk, "shared": "1"},
    )
    assert response.status_code == 404
    assert not reflection.shares.filter(partnership=other).exists()


API = "/api/v1"


def api_routes(cast, planted):
    return {
        "pulses": (f"{API}/me/pulses", SIGNED_IN),
        "reflections": (f"{API}/me/reflections", SIGNED_IN),
        "reflection": (f"{API}/me/reflections/{planted.alice_private_reflection.pk}", OWNER),
        "kudos": (f"{API}/partnerships/{cast.partnership.pk}/kudos", MEMBERS),
    }


@pytest.mark.parametrize("route", ["pulses", "reflections", "reflection", "kudos"])
@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_the_expected_answer_from_the_api(cast, planted, client_for, route, actor):
    url, expected = api_routes(cast, planted)[route]
    user = None if actor == ANON else getattr(cast, actor)
    response = client_for(user).get(url)
    want = 401 if actor == ANON else expected[actor]
    assert response.status_code == want, f"{actor} on {url}"


def test_the_api_lists_only_ones_own_check_ins(cast, planted, client_for):
    words = {
        item["word"] for item in client_for(cast.alice).get(f"{API}/me/pulses").json()["items"]
    }
    assert words == {"MKPULSEPRIV", "MKPULSESHARED"}
    bob_items = client_for(cast.bob).get(f"{API}/me/pulses").json()["items"]
    assert bob_items == []


def test_outsiders_cannot_change_or_delete_a_reflection_through_the_api(cast, planted, client_for):
    url = f"{API}/me/reflections/{planted.alice_private_reflection.pk}"
    body = {"kind": "win", "what_happened": "overwritten"}
    for actor in (cast.bob, cast.coord, cast.olga):
        client = client_for(actor)
        assert client.put(url, body, content_type="application/json").status_code == 404
        assert client.delete(url).status_code == 404
    planted.alice_private_reflection.refresh_from_db()
    assert "MKREFLPRIV" in planted.alice_private_reflection.what_happened


def test_only_current_members_send_kudos_through_the_api(cast, planted, client_for):
    url = f"{API}/partnerships/{cast.partnership.pk}/kudos"
    body = {"message": "Keep going"}
    assert (
        client_for(cast.carol).post(url, body, content_type="application/json").status_code == 404
    )
    assert (
        client_for(cast.coord).post(url, body, content_type="application/json").status_code == 404
    )
    response = client_for(cast.alice).post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["message"] == "Keep going"
