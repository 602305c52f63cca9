"""The surveys API: participants list and answer their open waves; coordinators read
aggregates only; everyone else gets 404."""

from __future__ import annotations

import json

from tandem.surveys import services
from tests.surveys.conftest import after_close, answers, crowd


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def test_a_participant_lists_and_answers_an_open_survey(world, cast, client_for):
    client = client_for(cast.alice)
    listed = client.get("/api/v1/me/surveys").json()
    assert [entry["wave_id"] for entry in listed] == [world.baseline.pk]
    assert listed[0]["answered"] is False
    assert [item["key"] for item in listed[0]["items"]] == ["a", "b", "c", "d", "note"]
    url = f"/api/v1/me/surveys/{world.baseline.pk}/response"
    response = put(client, url, {"answers": {**answers(), "note": "Just mine"}})
    assert response.status_code == 200
    assert response.json()["answers"]["note"] == "Just mine"
    listed = client.get("/api/v1/me/surveys").json()
    assert listed[0]["answered"] is True
    assert listed[0]["answers"]["a"] == 4


def test_an_invalid_answer_is_a_clear_error(world, cast, client_for):
    url = f"/api/v1/me/surveys/{world.baseline.pk}/response"
    response = put(client_for(cast.alice), url, {"answers": {**answers(), "d": 11}})
    assert response.status_code == 422
    assert "d" in response.json()["detail"]


def test_outsiders_cannot_reach_a_wave(world, cast, client_for):
    url = f"/api/v1/me/surveys/{world.baseline.pk}/response"
    for outsider in (cast.dave, cast.coord, cast.rhea):
        assert put(client_for(outsider), url, {"answers": answers()}).status_code == 404
    assert client_for(cast.dave).get("/api/v1/me/surveys").json() == []


def test_coordinators_get_aggregates_without_any_text(world, cast, client_for):
    for person in [cast.alice, cast.bob, cast.carol, *crowd(cast.cohort, 10)]:
        services.response_submit(wave=world.baseline, user=person, answers=answers(note="APINOTE"))
    url = f"/api/v1/programs/{cast.program.slug}/surveys/{world.survey.pk}/aggregates"
    open_wave = client_for(cast.coord).get(url).json()["waves"][0]
    assert (open_wave["released"], open_wave["answered"], open_wave["mean"]) == (False, None, None)
    with after_close(world.baseline):
        response = client_for(cast.coord).get(url)
    assert response.status_code == 200
    assert "APINOTE" not in response.content.decode()
    body = response.json()
    assert body["smallest_group"] == 11
    baseline = body["waves"][0]
    assert baseline["released"] is True
    assert (baseline["answered"], baseline["in_cohort"], baseline["response_rate_percent"]) == (
        13,
        13,
        100,
    )
    assert baseline["mean"] == 4.5
    assert baseline["subscale_means"] == {"Goals": 3.0, "Trust": 4.0}
    assert body["waves"][1]["mean"] is None
    for outsider in (cast.other_coord, cast.rhea, cast.alice):
        assert client_for(outsider).get(url).status_code == 404


def test_true_or_false_is_not_read_as_an_answer_of_one_or_zero(world, cast, client_for):
    """`true` used to be saved as the answer 1 ("No"), and `false` as 0."""
    client = client_for(cast.alice)
    url = f"/api/v1/me/surveys/{world.baseline.pk}/response"
    for flag in (True, False):
        for key in ("a", "d", "note"):
            response = put(client, url, {"answers": {**answers(), key: flag}})
            assert response.status_code == 422
            assert response.json()["detail"][0]["loc"][-1] == key
    assert not world.baseline.responses.exists()


def test_text_with_a_lone_surrogate_is_refused(world, cast, client_for):
    """JSON may escape half a surrogate pair; no database stores it, and it was a 500."""
    url = f"/api/v1/me/surveys/{world.baseline.pk}/response"
    response = put(client_for(cast.alice), url, {"answers": answers(note="Thanks \ud800")})
    assert response.status_code == 400
    assert not world.baseline.responses.exists()
