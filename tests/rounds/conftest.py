"""A second cohort of the cast's program with people to match, and helpers to run it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tandem.accounts.models import User
from tandem.programs.models import Cohort
from tests import factories
from tests.workspace.conftest import signed

__all__ = ["signed"]

FIRST_NAMES = ["Ada", "Ben", "Cleo", "Dev", "Esme", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai"]
TOPICS = ["research", "teaching", "grants", "leadership", "writing and publishing", "networking"]


@dataclass
class Round:
    cohort: Cohort
    people: list[User]


def enrol(cohort: Cohort, count: int, *, start: int = 0) -> list[User]:
    people = []
    for k in range(start, start + count):
        user = factories.participant(
            cohort, email=f"peer{k}@example.org", full_name=f"{FIRST_NAMES[k % 11]} Peer{k}"
        )
        profile = user.profiles.get(program=cohort.program)
        profile.offers = [TOPICS[k % 6], TOPICS[(k + 1) % 6]]
        profile.seeks = [TOPICS[(k + 3) % 6], TOPICS[(k + 4) % 6]]
        profile.save()
        people.append(user)
    return people


@pytest.fixture
def round_(cast) -> Round:
    """Spring cohort of the cast's program: six peers, nobody matched yet."""
    cohort = factories.CohortFactory(program=cast.program, slug="spring", name="Spring cohort")
    return Round(cohort=cohort, people=enrol(cohort, 6))
