"""The one cast of test actors every module uses, and clients signed in as each of them.

alice and bob are partners; carol is in the same cohort but not their partnership; dave is a
participant of another program; coord runs the program, other_coord runs another program,
rhea researches the program, and olga is the operator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort, Program
from tests import factories


@dataclass
class Cast:
    program: Program
    cohort: Cohort
    other_program: Program
    other_cohort: Cohort
    alice: User
    bob: User
    carol: User
    dave: User
    coord: User
    other_coord: User
    rhea: User
    olga: User
    partnership: Partnership


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit and lockout counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _base_url_restored() -> Iterator[None]:
    """The demo command points links at the address it serves (it sets settings.BASE_URL);
    no test leaves that change to the tests after it."""
    from django.conf import settings

    base_url = settings.BASE_URL
    yield
    settings.BASE_URL = base_url


@pytest.fixture
def cast(db: None) -> Cast:
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    other_program = factories.ProgramFactory(slug="lakeside", name="Lakeside Peers")
    other_cohort = factories.CohortFactory(program=other_program, slug="spring")
    alice = factories.participant(cohort, email="alice@example.org", full_name="Alice Adams")
    bob = factories.participant(cohort, email="bob@example.org", full_name="Bob Brown")
    carol = factories.participant(cohort, email="carol@example.org", full_name="Carol Chen")
    dave = factories.participant(other_cohort, email="dave@example.org", full_name="Dave Diaz")
    coord = factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    other_coord = factories.coordinator(other_program, email="other-coord@example.org")
    rhea = factories.researcher(program, email="rhea@example.org", full_name="Rhea Search")
    olga = factories.UserFactory(email="olga@example.org", is_superuser=True, is_staff=True)
    pair = factories.partnership(cohort, [alice, bob])
    return Cast(
        program=program,
        cohort=cohort,
        other_program=other_program,
        other_cohort=other_cohort,
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        coord=coord,
        other_coord=other_coord,
        rhea=rhea,
        olga=olga,
        partnership=pair,
    )


@pytest.fixture
def client_for(db: None) -> Callable[[User | None], Client]:
    """A test client signed in as ``user`` (anonymous for None)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


# The browser journeys' harness: one session-wide browser for every module that drives one
# (two Playwright instances in one process cannot run side by side).
from tests.e2e.harness import (  # noqa: E402
    browser,  # noqa: F401
    journey,  # noqa: F401
    pytest_collection_modifyitems,  # noqa: F401
)
