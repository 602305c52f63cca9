"""The match-rounds API: the same rules and results as the pages."""

from __future__ import annotations

import json

import pytest

from tandem.partnerships.models import Partnership
from tandem.rounds.models import MatchRun


def call(client, method, url, body=None):
    return client.generic(
        method, url, json.dumps(body) if body is not None else "", content_type="application/json"
    )


@pytest.fixture
def base(round_, cast):
    return f"/api/v1/programs/{cast.program.slug}/cohorts/{round_.cohort.slug}/match-runs"


def test_a_coordinator_starts_reads_and_publishes_a_run(
    base, cast, client_for, django_capture_on_commit_callbacks
):
    coord = client_for(cast.coord)
    created = call(coord, "POST", base, {"seed": 2})
    assert created.status_code == 201
    run_id = created.json()["id"]
    assert created.json()["status"] == MatchRun.Status.DRAFT
    assert [r["id"] for r in call(coord, "GET", base).json()] == [run_id]
    detail = call(coord, "GET", f"/api/v1/match-runs/{run_id}").json()
    assert len(detail["groups"]) == 3
    assert detail["groups"][0]["reasons"]
    with django_capture_on_commit_callbacks(execute=True):
        published = call(coord, "POST", f"/api/v1/match-runs/{run_id}/publish")
    assert len(published.json()["partnerships"]) == 3
    again = call(coord, "POST", f"/api/v1/match-runs/{run_id}/publish")
    assert again.status_code == 422


@pytest.mark.parametrize("role", ["alice", "carol", "other_coord"])
def test_others_get_404_for_runs(base, cast, client_for, role):
    coord = client_for(cast.coord)
    run_id = call(coord, "POST", base, {}).json()["id"]
    client = client_for(getattr(cast, role))
    assert call(client, "GET", base).status_code == 404
    assert call(client, "GET", f"/api/v1/match-runs/{run_id}").status_code == 404
    assert call(client, "POST", f"/api/v1/match-runs/{run_id}/publish").status_code == 404


def test_a_participant_reads_and_accepts_a_proposal(
    base, cast, round_, client_for, django_capture_on_commit_callbacks
):
    coord = client_for(cast.coord)
    run_id = call(coord, "POST", base, {}).json()["id"]
    call(coord, "POST", f"/api/v1/match-runs/{run_id}/publish")
    person = round_.people[0]
    [proposal] = call(client_for(person), "GET", "/api/v1/me/proposals").json()
    assert proposal["partners"][0]["main_thing"]
    assert proposal["my_response"] == "pending"
    pid = proposal["partnership_id"]
    outsider = next(u for u in round_.people if u.pk not in _members(pid))
    assert call(client_for(outsider), "GET", f"/api/v1/me/proposals/{pid}").status_code == 404
    assert call(client_for(cast.coord), "GET", f"/api/v1/me/proposals/{pid}").status_code == 404
    for member in _members(pid):
        from tandem.accounts.models import User

        answer = call(
            client_for(User.objects.get(pk=member)), "POST", f"/api/v1/me/proposals/{pid}/accept"
        )
        assert answer.status_code == 200
    assert answer.json()["status"] == Partnership.Status.ACTIVE


def _members(partnership_id):
    return set(Partnership.objects.get(pk=partnership_id).members.values_list("user_id", flat=True))


@pytest.mark.parametrize("seed", [-1, MatchRun.SEED_MAX + 1, 2**63])
def test_a_seed_out_of_range_is_a_clear_422_and_starts_no_run(base, cast, client_for, seed):
    """Found by the schema fuzzing: the database refused such a seed and the API answered 500."""
    response = call(client_for(cast.coord), "POST", base, {"seed": seed})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "seed"]
    assert not MatchRun.objects.exists()


def test_the_largest_seed_starts_a_run(base, cast, client_for):
    response = call(client_for(cast.coord), "POST", base, {"seed": MatchRun.SEED_MAX})
    assert response.status_code == 201
    assert response.json()["seed"] == MatchRun.SEED_MAX
