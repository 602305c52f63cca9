"""Who the evaluation compares: everyone randomised, by allocated arm, when the cohort's study
was randomised; otherwise the program's people at a landmark, by whether their partnership had
begun by then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.outcomes.followup import add_months
from tandem.outcomes.groups import (
    LANDMARK_MONTHS,
    NON_PARTICIPANTS,
    WAITLIST,
    evaluation_design,
)
from tandem.partnerships.models import Partnership
from tandem.research.models import Arm, ResearchConsent, StudyAllocation
from tandem.research.services import research_consent_record, study_randomise
from tests import factories
from tests.research.helpers import crowd, protocol_for

pytestmark = pytest.mark.django_db

PEOPLE = [("PGY1", "Surgery", "Riverside"), ("PGY2", "Pediatrics", "Riverside")] * 8


def _ids(records):
    return {record.user_id for record in records}


def test_without_a_study_the_comparison_is_the_programs_non_participants(cast):
    design = evaluation_design(cast.cohort)
    assert design.label == NON_PARTICIPANTS
    assert design.origin == add_months(cast.cohort.starts_on, LANDMARK_MONTHS)
    assert {cast.alice.pk, cast.bob.pk} <= _ids(design.participants)
    assert cast.carol.pk in _ids(design.comparison)


def test_someone_matched_after_the_landmark_is_unexposed_at_the_landmark(cast):
    cohort = cast.cohort
    cohort.starts_on = timezone.localdate() - dt.timedelta(days=400)
    cohort.save(update_fields=["starts_on"])
    late, partner = factories.participant(cohort), factories.participant(cohort)
    factories.partnership(cohort, [late, partner])  # activated today, long after the landmark
    design = evaluation_design(cohort)
    assert late.pk in _ids(design.comparison)
    assert late.pk not in _ids(design.participants)


def test_a_declined_match_is_in_neither_group(cast):
    first, second = factories.participant(cast.cohort), factories.participant(cast.cohort)
    factories.partnership(cast.cohort, [first, second], status=Partnership.Status.DECLINED)
    design = evaluation_design(cast.cohort)
    assert first.pk not in _ids(design.participants) | _ids(design.comparison)


def test_a_randomised_study_compares_everyone_randomised_as_allocated(cast):
    crowd(cast.cohort, PEOPLE)
    protocol = protocol_for(cast.cohort)
    study_randomise(protocol=protocol)
    allocated = dict(
        StudyAllocation.objects.filter(protocol=protocol).values_list("user_id", "arm")
    )
    # One withdrawal in each arm: intention to treat keeps both, and counts them per arm.
    for arm in (Arm.MATCHED_NOW, Arm.WAITLIST):
        leaver = StudyAllocation.objects.filter(protocol=protocol, arm=arm).first().user
        research_consent_record(
            protocol=protocol, user=leaver, decision=ResearchConsent.Decision.WITHDRAWN
        )

    design = evaluation_design(cast.cohort)
    assert design.label == WAITLIST
    assert design.randomised
    matched = {user for user, arm in allocated.items() if arm == Arm.MATCHED_NOW}
    waiting = {user for user, arm in allocated.items() if arm == Arm.WAITLIST}
    assert _ids(design.participants) == matched
    assert _ids(design.comparison) == waiting
    assert len(design.study.withdrawn & design.study.matched_now) == 1
    assert len(design.study.withdrawn & design.study.waitlist) == 1
    # alice and bob are partners but not in the study: they are in neither arm.
    assert cast.alice.pk not in _ids(design.participants) | _ids(design.comparison)
    assert len(design.study.protocol_sha256) == 64


def test_a_frozen_membership_decides_the_groups(cast):
    design = evaluation_design(
        cast.cohort, frozen={"participants": [cast.alice.pk], "comparison": [cast.carol.pk]}
    )
    assert _ids(design.participants) == {cast.alice.pk}
    assert _ids(design.comparison) == {cast.carol.pk}
