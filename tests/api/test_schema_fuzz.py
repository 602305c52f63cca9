"""Fuzz the whole API from its own OpenAPI schema, as a participant and as a coordinator.

Schemathesis generates requests for every operation in /api/v1/openapi.json and sends them
in-process to the WSGI app (real database); every answer must be a non-5xx response whose
status code, content type and body the schema documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
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
from tandem.partnerships.models import Partnership
from tandem.rounds import services as rounds_services
from tandem.rounds.models import Placement, PlacementConsent
from tandem.surveys import services as surveys_services
from tandem.surveys.report import MIN_PEOPLE_FOR_MEAN
from tandem.wellbeing import services as wellbeing_services
from tandem.wsgi import application
from tests import factories
from tests.rounds.conftest import enrol
from tests.surveys.builders import cast_survey
from tests.surveys.conftest import answers
from tests.workspace import factories as workspace_factories

# Random ids would only ever reach the 404 of an access check, so every path parameter points
# at one of the cast's real objects; what is fuzzed is the query and the body. Each request goes
# out as alice and as coord: one of them reaches the handler, the other its access rule.

# Enough answers, with bob's and carol's, for the survey's aggregates to show means and
# score bands rather than suppress them.
NEWCOMERS = MIN_PEOPLE_FOR_MEAN - 2


@dataclass
class World:
    real_ids: dict[str, Any]  # path parameter → the real object it names
    overrides: dict[str, dict[str, Any]]  # path prefix → parameters that name another one there
    tokens: dict[str, str]  # role → bearer token
    survey_answers: dict[str, Any]  # a valid answer to each of the open survey's questions


@pytest.fixture
def world(cast):
    """alice (a participant with a signed partnership, some content, a proposal waiting for her
    answer and an open survey) and coord (with a draft match run and survey results)."""
    workspace_factories.sign_agreement(cast.partnership)
    goal = workspace_factories.goal(cast.partnership, cast.alice)
    meeting = workspace_factories.meeting(cast.partnership, cast.alice)
    # Newcomers to alice's cohort, with varied topics: they answer the survey and are matched.
    newcomers = enrol(cast.cohort, NEWCOMERS)
    survey = cast_survey(cast)
    baseline = survey.waves.order_by("offset_months")[0]
    for person in [cast.bob, cast.carol, *newcomers]:
        surveys_services.response_submit(wave=baseline, user=person, answers=answers())
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
        "run_id": rounds_services.match_run_start(
            cohort=cast.cohort, created_by=cast.coord, seed=1
        ).pk,
        "survey_id": survey.pk,
        "wave_id": baseline.pk,
        "placement_id": placement_for_alice(cast, newcomers[0]).pk,
    }
    # Under /me/proposals/ `partnership_id` names a proposal waiting for the person's answer:
    # alice's active partnership there would only ever meet "already answered" (422).
    overrides = {"/api/v1/me/proposals/": {"partnership_id": proposal_for_alice(cast).pk}}
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
        yield World(real_ids, overrides, tokens, answers(note="We met twice."))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def placement_for_alice(cast, newcomer) -> Placement:
    """A late joiner waiting for alice's (and bob's) consent to join their partnership."""
    placement = Placement.objects.create(
        cohort=cast.cohort, partnership=cast.partnership, newcomer=newcomer, placed_by=cast.coord
    )
    for member in (cast.alice, cast.bob):
        PlacementConsent.objects.create(placement=placement, member=member)
    return placement


def proposal_for_alice(cast) -> Partnership:
    """alice's proposal in a later cohort of the program, from a published run."""
    spring = factories.CohortFactory(program=cast.program, slug="spring", name="Spring cohort")
    factories.EnrollmentFactory(cohort=spring, user=cast.alice)
    enrol(spring, 3, start=NEWCOMERS)  # numbered after the first newcomers, so new emails
    run = rounds_services.match_run_start(cohort=spring, created_by=cast.coord)
    rounds_services.match_run_publish(run=run, by=cast.coord, notify=False)
    return Partnership.objects.get(cohort=spring, members__user=cast.alice)


def path_ids(world: World, path: str, names: Iterable[str]) -> dict[str, Any]:
    """The real object each path parameter of ``path`` names there."""
    ids = dict(world.real_ids)
    for prefix, named in world.overrides.items():
        if path.startswith(prefix):
            ids.update(named)
    return {name: ids[name] for name in names}


def answers_to_the_survey(case, world: World) -> None:
    """Generated answers are keyed by random strings and only ever meet "Unknown questions".
    Laid over a valid answer to every question, their values reach each question's checks and,
    when they pass, the saving of the response."""
    generated = case.body.get("answers") if isinstance(case.body, dict) else None
    if case.operation.path == "/api/v1/me/surveys/{wave_id}/response" and isinstance(
        generated, dict
    ):
        questions = reversed(world.survey_answers)  # the free-text question, last, comes first
        fuzzed = dict(zip(questions, generated.values(), strict=False))
        case.body["answers"] = {**world.survey_answers, **fuzzed}


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


def path_parameters(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]


def test_every_path_parameter_names_a_real_object(world):
    """Otherwise its operations keep a generated id and are only ever fuzzed up to a 404."""
    named = {
        name
        for operations in served_schema()["paths"].values()
        for operation in operations.values()
        for name in path_parameters(operation)
    }
    assert named - set(world.real_ids) == set(), "give these parameters a real object in `world`"


def test_every_read_of_a_real_object_answers_the_participant_or_the_coordinator(world):
    """The real ids get past the access checks, so the fuzzing reaches the handlers."""
    clients = [
        Client(headers={"Authorization": f"Bearer {token}"}) for token in world.tokens.values()
    ]
    for path, operations in served_schema()["paths"].items():
        names = path_parameters(operations.get("get", {}))
        if not names:
            continue
        url = path.format(**path_ids(world, path, names))
        assert 200 in {client.get(url).status_code for client in clients}, url


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, world):
    if case.path_parameters:
        case.path_parameters.update(path_ids(world, case.operation.path, case.path_parameters))
    answers_to_the_survey(case, world)
    for token in world.tokens.values():
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
        assert response.json() == {
            "detail": "Cannot parse request body: the request body must be a JSON object"
        }
    profile = client.get("/api/v1/me/profiles/riverside").json()
    assert profile["main_thing"] == "Publish my first first-author paper."
    assert profile["offers"] == ["research", "teaching"]


@pytest.mark.parametrize(
    ("bad", "named"),
    [("\u0000", "NUL characters"), ("\ud800", "unpaired surrogate characters")],
    ids=["nul", "lone-surrogate"],
)
def test_text_no_database_can_store_is_refused_and_changes_nothing(cast, bad, named):
    """Found by the fuzzing: PostgreSQL cannot store NUL, and no UTF-8 database half a
    surrogate pair (which JSON can escape); both were 500s."""
    _, secret = api_token_create(user=cast.alice, name="script")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    for body in (
        {"main_thing": f"Publish{bad} a paper"},
        {"offers": ["teaching", f"research{bad}"]},
        {f"stage{bad}": "PGY2"},
    ):
        response = client.put(
            "/api/v1/me/profiles/riverside", body, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["detail"] == (
            f"Cannot parse request body: text in the request body may not contain {named}"
        )
    profile = client.get("/api/v1/me/profiles/riverside").json()
    assert profile["main_thing"] == "Publish my first first-author paper."
    assert profile["offers"] == ["research", "teaching"]


def test_malformed_json_is_refused_with_where_it_breaks_and_none_of_its_text(cast):
    _, secret = api_token_create(user=cast.alice, name="script")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    body = '{"main_thing": "My secret plan", '
    response = client.put("/api/v1/me/profiles/riverside", body, content_type="application/json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("Cannot parse request body: Expecting property name")
    assert "line 1 column 34 (char 33)" in detail
    assert "secret" not in detail


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
