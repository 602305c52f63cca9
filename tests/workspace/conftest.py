from __future__ import annotations

import pytest

from tests.workspace.factories import sign_agreement


@pytest.fixture
def signed(cast):
    """The cast, with alice and bob's agreement signed so their workspace is open."""
    sign_agreement(cast.partnership)
    return cast
