"""The cohort's randomised study as the evaluation report sees it: arms, strata, withdrawals
and a fingerprint of the protocol. Registered with the outcomes app, which sits below."""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone

from tandem.outcomes.groups import StudyDesign
from tandem.programs.models import Cohort
from tandem.research.models import Arm, ResearchConsent, StudyAllocation, StudyProtocol
from tandem.research.selectors import protocol_for


def protocol_sha256(protocol: StudyProtocol) -> str:
    """A hash of what the protocol registers, so a reader can check it was not changed."""
    text = json.dumps(
        {
            "title": protocol.title,
            "information": protocol.information,
            "outcomes": protocol.registered_outcomes,
            "seed": protocol.seed,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def study_design_for(cohort: Cohort) -> StudyDesign | None:
    protocol = protocol_for(cohort)
    if protocol is None or protocol.randomised_at is None:
        return None
    allocations = list(
        StudyAllocation.objects.filter(protocol=protocol).values_list("user_id", "arm", "stratum")
    )
    latest: dict[int, str] = {}
    decisions = ResearchConsent.objects.filter(protocol=protocol).order_by("decided_at", "pk")
    for user_id, decision in decisions.values_list("user_id", "decision"):
        latest[user_id] = decision
    return StudyDesign(
        matched_now=frozenset(user for user, arm, _ in allocations if arm == Arm.MATCHED_NOW),
        waitlist=frozenset(user for user, arm, _ in allocations if arm == Arm.WAITLIST),
        strata={user: stratum for user, _, stratum in allocations},
        withdrawn=frozenset(
            user
            for user, _, _ in allocations
            if latest.get(user) == ResearchConsent.Decision.WITHDRAWN
        ),
        protocol_sha256=protocol_sha256(protocol),
        protocol_date=timezone.localtime(protocol.updated_at).date(),
        protocol_title=protocol.title,
    )
