"""Reads about studies: who consents now, who was randomised to the waitlist, and the doors
through which participants, coordinators and researchers reach a study."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from tandem.accounts.models import User
from tandem.programs.models import Cohort, Enrollment, Program
from tandem.research.models import Arm, ResearchConsent, StudyAllocation, StudyProtocol


def protocol_for(cohort: Cohort) -> StudyProtocol | None:
    return StudyProtocol.objects.filter(cohort=cohort).select_related("cohort__program").first()


def _latest_decision(protocol: StudyProtocol) -> Subquery:
    return Subquery(
        ResearchConsent.objects.filter(protocol=protocol, user_id=OuterRef("user_id"))
        .order_by("-decided_at", "-pk")
        .values("decision")[:1]
    )


def consenting_user_ids(protocol: StudyProtocol) -> set[int]:
    """People enrolled in the study's cohort whose latest decision is consent (one query).

    Withdrawal is a later decision, so a withdrawn person is never in this set again unless
    they consent anew.
    """
    return set(
        Enrollment.objects.filter(cohort_id=protocol.cohort_id)
        .annotate(decision=_latest_decision(protocol))
        .filter(decision=ResearchConsent.Decision.CONSENTED)
        .values_list("user_id", flat=True)
    )


def consent_decision(protocol: StudyProtocol, user: User) -> str | None:
    latest = ResearchConsent.objects.filter(protocol=protocol, user=user).first()
    return latest.decision if latest else None


def consent_history(protocol: StudyProtocol, user: User) -> QuerySet[ResearchConsent]:
    return ResearchConsent.objects.filter(protocol=protocol, user=user)


def waitlisted_user_ids(cohort: Cohort) -> set[int]:
    """People randomised to the waitlist arm of the cohort's study who still consent.

    Match rounds leave them out; the evaluation uses them as the comparison group. Someone who
    withdrew from the study is no longer held back from matching.
    """
    protocol = protocol_for(cohort)
    if protocol is None:
        return set()
    waitlisted = set(
        StudyAllocation.objects.filter(protocol=protocol, arm=Arm.WAITLIST).values_list(
            "user_id", flat=True
        )
    )
    return waitlisted & consenting_user_ids(protocol)


def arm_counts(protocol: StudyProtocol) -> dict[str, int]:
    counts = dict.fromkeys(Arm.values, 0)
    for arm in StudyAllocation.objects.filter(protocol=protocol).values_list("arm", flat=True):
        counts[arm] += 1
    return counts


def studies_for_participant(user: User) -> QuerySet[StudyProtocol]:
    return StudyProtocol.objects.filter(cohort__enrollments__user=user).select_related(
        "cohort__program"
    )


def research_cohorts(program: Program) -> QuerySet[Cohort]:
    return Cohort.objects.filter(program=program).select_related("study_protocol")
