"""A cohort under study: people randomised to the waitlist arm are not matched until they
leave the study, and the coordinator sees why they were left out."""

from __future__ import annotations

from tandem.research.models import Arm, ResearchConsent, StudyAllocation
from tandem.research.selectors import waitlisted_user_ids
from tandem.research.services import research_consent_record, study_randomise
from tandem.rounds.selectors import participants_for_matching
from tests.research.helpers import crowd, protocol_for

PEOPLE = [("PGY1", "Surgery", "Riverside"), ("PGY1", "Pediatrics", "Riverside")] * 6


def test_the_waitlist_arm_is_left_out_of_matching_with_its_reason(cast):
    people = crowd(cast.cohort, PEOPLE)
    study_randomise(protocol=protocol_for(cast.cohort))
    waitlisted = waitlisted_user_ids(cast.cohort)
    assert 0 < len(waitlisted) < len(people)

    matching = participants_for_matching(cast.cohort)
    matched_ids = {int(participant.id) for participant in matching.participants}
    assert not matched_ids & waitlisted
    assert {p.pk for p in people} - waitlisted <= matched_ids
    reasons = {user.pk: reason for user, reason in matching.left_out}
    assert all("waitlist" in reasons[user_id] for user_id in waitlisted)


def test_someone_who_withdraws_from_the_study_can_be_matched_again(cast):
    crowd(cast.cohort, PEOPLE)
    protocol = protocol_for(cast.cohort)
    study_randomise(protocol=protocol)
    leaver = StudyAllocation.objects.filter(protocol=protocol, arm=Arm.WAITLIST).first().user
    research_consent_record(
        protocol=protocol, user=leaver, decision=ResearchConsent.Decision.WITHDRAWN
    )

    matching = participants_for_matching(cast.cohort)
    assert leaver.pk in {int(participant.id) for participant in matching.participants}
