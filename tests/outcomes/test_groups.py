"""Who the evaluation compares: the randomised arms when the cohort's study was randomised,
the program's non-participants otherwise."""

from __future__ import annotations

import pytest

from tandem.outcomes.groups import NON_PARTICIPANTS, WAITLIST, comparison_groups
from tandem.research.models import Arm, ResearchConsent, StudyAllocation
from tandem.research.services import research_consent_record, study_randomise
from tests.research.helpers import crowd, protocol_for

pytestmark = pytest.mark.django_db

PEOPLE = [("PGY1", "Surgery", "Riverside"), ("PGY2", "Pediatrics", "Riverside")] * 8


def test_without_a_study_the_comparison_is_the_programs_non_participants(cast):
    participants, comparison, label = comparison_groups(cast.cohort)
    assert label == NON_PARTICIPANTS
    assert {p.user for p in participants} == {cast.alice, cast.bob}
    assert cast.carol in {p.user for p in comparison}


def test_a_randomised_study_compares_its_arms_among_people_who_still_consent(cast):
    crowd(cast.cohort, PEOPLE)
    protocol = protocol_for(cast.cohort)
    study_randomise(protocol=protocol)
    leaver = StudyAllocation.objects.filter(protocol=protocol, arm=Arm.WAITLIST).first().user
    research_consent_record(
        protocol=protocol, user=leaver, decision=ResearchConsent.Decision.WITHDRAWN
    )

    participants, comparison, label = comparison_groups(cast.cohort)
    assert label == WAITLIST
    allocated = dict(
        StudyAllocation.objects.filter(protocol=protocol).values_list("user_id", "arm")
    )
    assert {p.user_id for p in participants} == {
        user for user, arm in allocated.items() if arm == Arm.MATCHED_NOW
    }
    assert {p.user_id for p in comparison} == {
        user for user, arm in allocated.items() if arm == Arm.WAITLIST and user != leaver.pk
    }
    # alice and bob are partners but not in the study: they are in neither arm.
    assert cast.alice.pk not in {p.user_id for p in [*participants, *comparison]}
