"""Who the evaluation compares: the cohort's matched participants against a comparison group.

``comparison_groups`` is the single place that decides it. Today the comparison is the
program's non-participants; when the research app records a study protocol with a waitlist
arm for the cohort, this is where that arm takes over (and the label says so).
"""

from __future__ import annotations

from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Profile

# Partnerships that really ran: proposed-only or declined matches did not expose anyone.
RAN = (Partnership.Status.ACTIVE, Partnership.Status.EXITED, Partnership.Status.CLOSED)
NON_PARTICIPANTS = "Non-participants of the program"


def comparison_groups(cohort: Cohort) -> tuple[list[Profile], list[Profile], str]:
    """(participants, comparison, label of the comparison group).

    Participants: the program's people who were members of a partnership of the cohort that
    became active. Comparison: the program's people with no partnership at all in the cohort.
    Someone only proposed, or who declined, is in neither group: they were neither clearly
    exposed nor clearly unexposed.
    """
    members = PartnershipMember.objects.filter(partnership__cohort=cohort)
    exposed = set(members.filter(partnership__status__in=RAN).values_list("user_id", flat=True))
    touched = set(members.values_list("user_id", flat=True))
    profiles = list(
        Profile.objects.filter(program=cohort.program).select_related("user").order_by("pk")
    )
    participants = [profile for profile in profiles if profile.user_id in exposed]
    comparison = [profile for profile in profiles if profile.user_id not in touched]
    return participants, comparison, NON_PARTICIPANTS
