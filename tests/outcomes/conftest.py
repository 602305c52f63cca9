"""Helpers for outcome tests: the cast's profiles in the program."""

from __future__ import annotations

import pytest

from tandem.programs.models import Profile


@pytest.fixture
def alice_profile(cast) -> Profile:
    profile = cast.alice.profiles.get(program=cast.program)
    profile.roster_id = "A1"
    profile.save(update_fields=["roster_id"])
    return profile


@pytest.fixture
def bob_profile(cast) -> Profile:
    return cast.bob.profiles.get(program=cast.program)
