from __future__ import annotations

import pytest

from tandem.demo.institution import load_demo
from tandem.research import exports, selectors

pytestmark = pytest.mark.django_db


def test_demo_cohort_carries_a_locked_study_with_consents_and_an_exportable_dataset():
    program = load_demo()
    cohort = program.cohorts.get(slug="peer-pairs")
    protocol = selectors.protocol_for(cohort)
    assert protocol is not None
    assert protocol.is_locked
    consenting = selectors.consenting_user_ids(protocol)
    assert len(consenting) >= exports.K
    assert selectors.waitlisted_user_ids(cohort) == set()
    assert len(exports.build_dataset(cohort).records) == len(consenting)
