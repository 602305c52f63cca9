"""Role × route: every page and every API operation answers each role as the matrix says.

The matrix lives in ``tests/security/matrix.py``. A route Django resolves, or an operation the
API publishes, that has no entry there fails ``test_every_page_is_in_the_matrix`` or
``test_every_api_operation_is_in_the_matrix`` with the exact entry to add.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem.accounts.services import api_token_create
from tandem.api import api
from tandem.programs import services
from tandem.programs.roster import roster_preview
from tandem.wellbeing import services as wellbeing
from tandem.wellbeing.models import SupportResource
from tests.security import matrix
from tests.workspace import factories as workspace

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    route: str
    name: str | None

    @property
    def key(self) -> str:
        return self.name or self.route


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes: list[Route] = []
    for pattern in patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            routes.extend(walk(pattern.url_patterns, text, inner))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            routes.append(Route(route=text.lstrip("^"), name=name))
    return routes


def all_routes() -> list[Route]:
    return walk(get_resolver().url_patterns)


def page_routes() -> list[Route]:
    pages = []
    for route in all_routes():
        if route.route.startswith(tuple(matrix.EXEMPT_PREFIXES)):
            continue
        if route.route.startswith(matrix.API_PREFIX) and route.key not in matrix.API_PAGES:
            continue  # API operations are checked against the OpenAPI schema below
        pages.append(route)
    return pages


def api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_page_is_in_the_matrix():
    missing = [route for route in page_routes() if route.key not in matrix.PAGES]
    advice = "\n".join(
        f'  "{route.key}": Page(kwargs=lambda w: {{...}}, expect=...),  # route "{route.route}"'
        for route in missing
    )
    assert not missing, (
        "These routes are not in the authorization matrix. Add each to PAGES in "
        f"tests/security/matrix.py with the answer every role should get:\n{advice}"
    )


def test_the_matrix_lists_no_page_that_does_not_exist():
    known = {route.key for route in page_routes()}
    stale = sorted(set(matrix.PAGES) - known)
    assert not stale, f"Remove these from PAGES in tests/security/matrix.py: {stale}"


def test_every_api_operation_is_in_the_matrix():
    missing = sorted(api_operations() - set(matrix.OPERATIONS))
    advice = "\n".join(
        f'  ("{method}", "{path}"): Operation(params=..., expect=...),' for method, path in missing
    )
    assert not missing, (
        "These API operations are not in the authorization matrix. Add each to OPERATIONS "
        f"in tests/security/matrix.py:\n{advice}"
    )
    stale = sorted(set(matrix.OPERATIONS) - api_operations())
    assert not stale, f"Remove these from OPERATIONS in tests/security/matrix.py: {stale}"


def test_every_api_url_is_an_operation_of_the_schema():
    schema_paths = {path for _, path in api_operations()}
    for route in all_routes():
        if not route.route.startswith(matrix.API_PREFIX) or route.key in matrix.PAGES:
            continue
        as_schema = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.route)
        assert as_schema in schema_paths, f"{route.route} serves something the schema lacks"


def test_every_role_has_an_answer_for_every_route():
    for key, page in matrix.PAGES.items():
        assert set(page.expect) == set(matrix.ROLES), f"{key} lacks roles"
    for key, operation in matrix.OPERATIONS.items():
        assert set(operation.expect) == set(matrix.ROLES), f"{key} lacks roles"


@dataclass
class World:
    cast: Any
    invitation_token: str
    roster_import_id: int
    alice_token_id: int
    note: Any
    goal: Any
    milestone: Any
    meeting: Any
    item: Any
    pulse: Any
    reflection: Any
    resource: Any


@pytest.fixture
def world(cast) -> World:
    _, token = services.invitation_create(
        program=cast.program,
        cohort=cast.cohort,
        email="newcomer@example.org",
        invited_by=cast.coord,
        send=False,
    )
    roster = roster_preview(
        program=cast.program,
        cohort=cast.cohort,
        uploaded_by=cast.coord,
        filename="roster.csv",
        content="id,name,email,stage\nr1,Ray Roe,ray@example.org,PGY2\n",
    )
    alice_token, _ = api_token_create(user=cast.alice, name="matrix")
    pair = cast.partnership
    workspace.sign_agreement(pair)
    goal = workspace.goal(pair, cast.alice)
    return World(
        cast=cast,
        invitation_token=token,
        roster_import_id=roster.pk,
        alice_token_id=alice_token.pk,
        note=workspace.note(pair, cast.alice),
        goal=goal,
        milestone=goal.milestones.create(text="First draft"),
        meeting=workspace.meeting(pair, cast.bob),
        item=workspace.action_item(pair, cast.alice),
        pulse=wellbeing.pulse_record(user=cast.alice, burnout=3, supported=3, word="matrix"),
        reflection=wellbeing.reflection_create(
            user=cast.alice, kind="setback", what_happened="A rejected abstract"
        ),
        resource=SupportResource.objects.filter(program=cast.program).first(),
    )


def client_as(world: World, role: str) -> Client:
    client = Client()
    if role != "anon":
        user = getattr(world.cast, role)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def assert_hardened(response: Any, *, signed_in: bool) -> None:
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if signed_in:
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", matrix.ROLES)
@pytest.mark.parametrize("key", sorted(matrix.PAGES))
def test_each_role_gets_the_expected_answer_from_each_page(world, key, role):
    page = matrix.PAGES[key]
    url = reverse(key, kwargs=page.kwargs(world))
    client = client_as(world, role)
    response = getattr(client, page.method)(url, page.data(world))
    expected = page.expect[role]
    assert response.status_code == expected, f"{role} {page.method.upper()} {url}"
    if role == "anon" and expected == 302 and key != "participant:invitation":
        assert response["Location"].startswith(reverse("account_login"))
    assert_hardened(response, signed_in=role != "anon")


@pytest.mark.parametrize("role", matrix.ROLES)
@pytest.mark.parametrize("key", sorted(matrix.OPERATIONS), ids=" ".join)
def test_each_role_gets_the_expected_answer_from_each_api_operation(world, key, role):
    method, path = key
    operation = matrix.OPERATIONS[key]
    url = path.format(**operation.params(world))
    client = client_as(world, role)
    payload = operation.payload(world)
    body = json.dumps(payload) if payload is not None else None
    response = client.generic(method, url, body or "", content_type="application/json")
    assert response.status_code == operation.expect[role], f"{role} {method} {url}"
    assert_hardened(response, signed_in=role != "anon")


@pytest.mark.parametrize("prefix", sorted(matrix.EXEMPT_PREFIXES))
def test_exempt_account_and_admin_pages_send_visitors_to_sign_in(cast, prefix):
    login = matrix.EXEMPT_PREFIXES[prefix]
    protected = [
        route
        for route in all_routes()
        if route.route.startswith(prefix)
        and "<" not in route.route
        and "(?P" not in route.route
        and not re.search(
            r"(login|signup|reset|logout|jsi18n|callback|acs|sls|metadata|inactive|confirm-email|reauthenticate/code)",
            route.route,
        )
    ]
    assert protected
    client = Client()
    for route in protected:
        response = client.get("/" + route.route)
        if response.status_code == 301:  # allauth's old addresses point to the new ones
            response = client.get(response["Location"])
        if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
            response = client.get(response["Location"])  # which hands over to the site's sign-in
        if response.status_code == 302:
            assert response["Location"].startswith(login), route.route
        else:
            assert response.status_code in (404, 405), route.route
