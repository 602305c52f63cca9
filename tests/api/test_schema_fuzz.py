"""Fuzz the whole API from its own OpenAPI schema, as a participant and as a coordinator.

Schemathesis generates requests for every operation in /api/v1/openapi.json and sends them
in-process to the WSGI app (real database); every answer must be a non-5xx response whose
status code, content type and body the schema documents.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder

from tandem.accounts.services import api_token_create
from tandem.api import api
from tandem.wellbeing import services as wellbeing_services
from tandem.wsgi import application
from tests.workspace import factories as workspace_factories

# Random ids would only ever reach the 404 of an access check, so every path parameter points
# at one of the cast's real objects; what is fuzzed is the query and the body.


@pytest.fixture
def world(cast):
    """alice (a participant with a signed partnership and some content) and coord, with tokens."""
    workspace_factories.sign_agreement(cast.partnership)
    goal = workspace_factories.goal(cast.partnership, cast.alice)
    meeting = workspace_factories.meeting(cast.partnership, cast.alice)
    real_ids = {
        "partnership_id": cast.partnership.pk,
        "slug": cast.program.slug,
        "program_slug": cast.program.slug,
        "cohort_slug": cast.cohort.slug,
        "note_id": workspace_factories.note(cast.partnership, cast.alice).pk,
        "goal_id": goal.pk,
        "milestone_id": goal.milestones.create(text="Draft done").pk,
        "meeting_id": meeting.pk,
        "item_id": workspace_factories.action_item(cast.partnership, cast.alice, goal=goal).pk,
        "reflection_id": wellbeing_services.reflection_create(
            user=cast.alice, kind="win", what_happened="The abstract was accepted."
        ).pk,
    }
    tokens = {
        "participant": api_token_create(user=cast.alice, name="fuzz")[1],
        "coordinator": api_token_create(user=cast.coord, name="fuzz")[1],
    }
    # Requests go straight to the WSGI app, whose end-of-request handler would close the
    # test's own database connection (a no-op on in-memory SQLite, fatal on PostgreSQL);
    # Django's test client unhooks it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield real_ids, tokens
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def served_schema() -> dict[str, Any]:
    """The document /api/v1/openapi.json serves, built without a request (no database yet)."""
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.loads(json.dumps(document, cls=NinjaJSONEncoder))


# The coverage phase walks every boundary of every schema: thorough, but minutes long; the
# explicit examples and the seeded fuzzing phase keep this test under a minute.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}}
)
# Not checked: that every schema-valid request succeeds (business rules such as "the owner
# must be a member" or "a score from 1 to 5" rightly answer 422 to schema-valid input), nor
# that every schema-violating one is refused (pydantic's lax mode reads 0 as false and a
# number as a Unix time, which we accept).
EXCLUDED_CHECKS = [
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.negative_data_rejection,
]

schema = schemathesis.openapi.from_dict(served_schema(), config=CONFIG)
schema.app = application


def test_the_fuzzed_schema_is_the_one_served(db):
    assert Client().get("/api/v1/openapi.json").json() == served_schema()


@schema.parametrize()
@settings(
    max_examples=5,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, world):
    real_ids, tokens = world
    for name in case.path_parameters or {}:
        # A parameter not listed in `world` keeps its generated value (and mostly meets a 404):
        # list new areas' objects there so their handlers get fuzzed too.
        if name in real_ids:
            case.path_parameters[name] = real_ids[name]
    for token in tokens.values():
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, excluded_checks=EXCLUDED_CHECKS
        )


def test_a_body_that_is_not_a_json_object_is_refused_and_changes_nothing(cast):
    """Found by the fuzzing: `[null, null]` used to be read as an empty profile and saved."""
    _, secret = api_token_create(user=cast.alice, name="script")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    for body in ("[null, null]", "3", '"stage"'):
        response = client.put(
            "/api/v1/me/profiles/riverside", body, content_type="application/json"
        )
        assert response.status_code == 400
    profile = client.get("/api/v1/me/profiles/riverside").json()
    assert profile["main_thing"] == "Publish my first first-author paper."
    assert profile["offers"] == ["research", "teaching"]


def test_text_with_a_nul_character_is_refused_and_changes_nothing(cast):
    """Found by the fuzzing on PostgreSQL, which cannot store NUL in text: it was a 500."""
    _, secret = api_token_create(user=cast.alice, name="script")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    body = {"main_thing": "Publish\u0000 a paper", "offers": ["research\u0000"]}
    response = client.put("/api/v1/me/profiles/riverside", body, content_type="application/json")
    assert response.status_code == 400
    profile = client.get("/api/v1/me/profiles/riverside").json()
    assert profile["main_thing"] == "Publish my first first-author paper."


def test_every_operation_documents_its_error_answers():
    notes = served_schema()["paths"]["/api/v1/partnerships/{partnership_id}/notes"]
    assert set(notes["post"]["responses"]) == {"201", "400", "401", "403", "404", "422"}
    assert set(notes["get"]["responses"]) == {"200", "401", "403", "404", "422"}
    me = served_schema()["paths"]["/api/v1/me"]["get"]
    assert set(me["responses"]) == {"200", "401", "403"}


def test_a_huge_page_offset_or_limit_is_a_clear_422_not_a_server_error(cast):
    """Found by the fuzzing: `?offset=10**30` reached the database and answered 500."""
    _, secret = api_token_create(user=cast.alice, name="script")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get(f"/api/v1/me/pulses?offset={10**30}").status_code == 422
    assert client.get("/api/v1/me/reflections?limit=5000").status_code == 422
    assert client.get("/api/v1/me/reflections?offset=0&limit=1000").status_code == 200
