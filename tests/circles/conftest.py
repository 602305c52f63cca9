from __future__ import annotations

from dataclasses import dataclass

import pytest

from tandem.partnerships.models import Partnership
from tests import factories
from tests.workspace.factories import sign_agreement


@dataclass
class CircleCast:
    cast: object
    circle: Partnership
    members: list  # alice, bob and nadia, seated in the circle
    cohort: object


def make_circle(cast) -> CircleCast:
    """A circle of alice, bob and nadia in a second cohort of the cast's program, signed."""
    cohort = factories.CohortFactory(program=cast.program, slug="circles", name="Circles")
    for user in (cast.alice, cast.bob):
        factories.EnrollmentFactory(cohort=cohort, user=user)
    nadia = factories.participant(cohort, email="nadia@example.org", full_name="Nadia Nour")
    circle = factories.partnership(cohort, [cast.alice, cast.bob, nadia])
    sign_agreement(circle)
    return CircleCast(
        cast=cast, circle=circle, members=[cast.alice, cast.bob, nadia], cohort=cohort
    )


@pytest.fixture
def circle(cast) -> CircleCast:
    return make_circle(cast)
