"""Who the evaluation compares: the cohort's matched participants against a comparison group.

``comparison_groups`` is the single place that decides it. When the cohort's study was
randomised, the arms are compared as allocated (intention to treat), among people who still
consent to research; otherwise the comparison is the program's non-participants.
"""

from __future__ import annotations

from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Profile
from tandem.research.models import Arm, StudyAllocation
from tandem.research.selectors import consenting_user_ids, protocol_for

# Partnerships that really ran: proposed-only or declined matches did not expose anyone.
RAN = (Partnership.Status.ACTIVE, Partnership.Status.EXITED, Partnership.Status.CLOSED)
NON_PARTICIPANTS = "Non-participants of the program"
WAITLIST = "Waitlist arm of the randomised study (as allocated)"


def comparison_groups(cohort: Cohort) -> tuple[list[Profile], list[Profile], str]:
    """(participants, comparison, label of the comparison group).

    With a randomised study: the consenting people of the matched-now arm against those of
    the waitlist arm, as allocated, whether or not a match was taken up. Without one:
    Participants: the program's people who were members of a partnership of the cohort that
    became active. Comparison: the program's people with no partnership at all in the cohort.
    Someone only proposed, or who declined, is in neither group: they were neither clearly
    exposed nor clearly unexposed.
    """
    randomised = _randomised_arms(cohort)
    if randomised is not None:
        return *randomised, WAITLIST
    members = PartnershipMember.objects.filter(partnership__cohort=cohort)
    exposed = set(members.filter(partnership__status__in=RAN).values_list("user_id", flat=True))
    touched = set(members.values_list("user_id", flat=True))
    profiles = list(
        Profile.objects.filter(program=cohort.program).select_related("user").order_by("pk")
    )
    participants = [profile for profile in profiles if profile.user_id in exposed]
    comparison = [profile for profile in profiles if profile.user_id not in touched]
    return participants, comparison, NON_PARTICIPANTS


def _randomised_arms(cohort: Cohort) -> tuple[list[Profile], list[Profile]] | None:
    """(matched-now arm, waitlist arm) of consenting people, or None without randomisation."""
    protocol = protocol_for(cohort)
    if protocol is None or protocol.randomised_at is None:
        return None
    consenting = consenting_user_ids(protocol)
    arms = {
        user_id: arm
        for user_id, arm in StudyAllocation.objects.filter(protocol=protocol).values_list(
            "user_id", "arm"
        )
        if user_id in consenting
    }
    profiles = list(
        Profile.objects.filter(program=cohort.program).select_related("user").order_by("pk")
    )
    matched = [profile for profile in profiles if arms.get(profile.user_id) == Arm.MATCHED_NOW]
    waitlist = [profile for profile in profiles if arms.get(profile.user_id) == Arm.WAITLIST]
    return matched, waitlist
