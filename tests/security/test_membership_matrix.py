"""Membership state × route: every route of alice and bob's partnership, asked by people whose
membership there is in each state that must not open it.

The routes are the authorization matrix's own (``tests/security/matrix.py``): every page and API
operation that answers alice and bob but not carol is a route of their partnership. Each actor
below holds a membership row of that partnership in one state; all but the seated late joiner
must get 404 from every one of those routes. The late joiner who was let in (everyone agreed, they
accepted) reads the partnership, but every item written before they joined answers 404.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.partnerships.models import PartnershipMember
from tandem.rounds.models import Placement, PlacementConsent
from tests import factories
from tests.security import matrix
from tests.security.test_authorization_matrix import World, world  # noqa: F401

pytestmark = pytest.mark.django_db

Response = PartnershipMember.Response
# Each state: (response, is_current, left) of the actor's membership row; None: no row at all.
STATES: dict[str, tuple[str, bool, bool] | None] = {
    "proposed": (Response.PENDING, True, False),  # placed, has not answered yet
    "declined": (Response.DECLINED, False, True),
    "lapsed": (Response.PENDING, False, True),  # never answered before the deadline
    "exited": (Response.ACCEPTED, False, True),
    "removed": (Response.ACCEPTED, False, True),
    "joiner_before_consent": None,  # a placement the members have not all agreed to
}
ITEM_PARAMS = {"note_id", "goal_id", "meeting_id", "item_id", "milestone_id"}


def _is_partnership_route(expected: dict[str, int]) -> bool:
    return expected["bob"] != 404 and expected["carol"] == 404 and expected["coord"] == 404


# A circle's pages open a circle of the matrix world, not alice and bob's pair; each membership
# state is walked over them in tests/circles/test_circles.py.
PARTNERSHIP_PAGES = sorted(
    key
    for key, page in matrix.PAGES.items()
    if _is_partnership_route(page.expect)
    and not key.startswith("rounds:placement")
    and not key.startswith("circles:")
)
PARTNERSHIP_OPERATIONS = sorted(
    key
    for key, operation in matrix.OPERATIONS.items()
    if _is_partnership_route(operation.expect) and "joiners" not in key[1]
)


def _actor(w: World, state: str) -> User:
    user = factories.participant(w.cast.cohort, email=f"{state}@example.org")
    shape = STATES.get(state)
    now = timezone.now()
    if state == "joiner_before_consent":
        placement = Placement.objects.create(
            cohort=w.cast.cohort, partnership=w.cast.partnership, newcomer=user
        )
        PlacementConsent.objects.create(
            placement=placement, member=w.cast.alice, answer=PlacementConsent.Answer.YES
        )
        PlacementConsent.objects.create(placement=placement, member=w.cast.bob)
    elif state == "joiner_seated":
        PartnershipMember.objects.create(
            partnership=w.cast.partnership,
            user=user,
            cohort=w.cast.cohort,
            response=Response.ACCEPTED,
            responded_at=now,
            joined_at=now,
            visible_since=now + dt.timedelta(seconds=1),
        )
    elif shape is not None:
        response, current, left = shape
        PartnershipMember.objects.create(
            partnership=w.cast.partnership,
            user=user,
            cohort=w.cast.cohort,
            response=response,
            is_current=current,
            left_at=now if left else None,
        )
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_membership_matrix_covers_every_route_of_the_partnership():
    assert "workspace:notes" in PARTNERSHIP_PAGES
    assert "wellbeing:shared" in PARTNERSHIP_PAGES
    assert "rounds:proposal" in PARTNERSHIP_PAGES
    assert ("GET", "/api/v1/partnerships/{partnership_id}/notes/{note_id}") in (
        PARTNERSHIP_OPERATIONS
    )
    assert len(PARTNERSHIP_PAGES) >= 25
    assert len(PARTNERSHIP_OPERATIONS) >= 20


def _page_answer(w: World, client: Client, key: str) -> tuple[str, int]:
    page = matrix.PAGES[key]
    url = reverse(key, kwargs=page.kwargs(w))
    return url, getattr(client, page.method)(url, page.data(w)).status_code


def _operation_answer(w: World, client: Client, key: tuple[str, str]) -> tuple[str, int]:
    method, path = key
    operation = matrix.OPERATIONS[key]
    url = path.format(**operation.params(w))
    payload: Any = operation.payload(w)
    body = json.dumps(payload) if payload is not None else ""
    return url, client.generic(method, url, body, content_type="application/json").status_code


@pytest.mark.parametrize("state", sorted(STATES))
def test_no_member_outside_an_accepted_current_seat_opens_any_route_of_the_partnership(
    world,  # noqa: F811
    state,
):
    client = _client(_actor(world, state))
    # A current member who has yet to answer may read and answer the proposal itself (walking
    # its accept button would seat them); every other route of the partnership stays shut.
    answering = state == "proposed"
    opened = []
    for key in PARTNERSHIP_PAGES:
        if answering and key.startswith("rounds:proposal"):
            continue
        url, status = _page_answer(world, client, key)
        if status != 404:
            opened.append(f"{key} {url} -> {status}")
    for operation in PARTNERSHIP_OPERATIONS:
        if answering and "/me/proposals/" in operation[1]:
            continue
        url, status = _operation_answer(world, client, operation)
        if status != 404:
            opened.append(f"{' '.join(operation)} {url} -> {status}")
    assert opened == [], f"a {state} member reached:\n" + "\n".join(opened)


def test_a_member_who_has_not_answered_reads_the_proposal_but_not_the_workspace(
    world,  # noqa: F811
):
    client = _client(_actor(world, "proposed"))
    pair = world.cast.partnership.pk
    assert client.get(reverse("rounds:proposal", args=[pair])).status_code == 200
    assert client.get(f"/api/v1/me/proposals/{pair}").status_code == 200
    assert client.get(reverse("workspace:home", args=[pair])).status_code == 404


def _needs_an_older_item(params: dict[str, Any]) -> bool:
    return bool(ITEM_PARAMS & set(params))


def test_a_seated_late_joiner_reads_the_partnership_but_no_item_written_before_they_joined(
    world,  # noqa: F811
):
    client = _client(_actor(world, "joiner_seated"))
    wrong = []
    for key in PARTNERSHIP_PAGES:
        page = matrix.PAGES[key]
        url, status = _page_answer(world, client, key)
        expected = 404 if _needs_an_older_item(page.kwargs(world)) else page.expect["bob"]
        if status != expected:
            wrong.append(f"{key} {url} -> {status}, expected {expected}")
    for operation in PARTNERSHIP_OPERATIONS:
        spec = matrix.OPERATIONS[operation]
        url, status = _operation_answer(world, client, operation)
        expected = 404 if _needs_an_older_item(spec.params(world)) else spec.expect["bob"]
        if status != expected:
            wrong.append(f"{' '.join(operation)} {url} -> {status}, expected {expected}")
    assert wrong == [], "\n".join(wrong)
