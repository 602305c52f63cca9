"""Writes about studies: the protocol, consent decisions and randomisation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.programs.models import Cohort, Profile
from tandem.research import randomisation, selectors
from tandem.research.models import ResearchConsent, StudyAllocation, StudyProtocol


def study_protocol_save(
    *,
    cohort: Cohort,
    title: str,
    information: str,
    outcomes: str,
    seed: int | None = None,
    longitudinal: bool = False,
) -> StudyProtocol:
    """Create or change the cohort's protocol; refused once it is locked.

    The protocol row is locked while it changes, so a randomisation cannot slip in between the
    lock check and the save.
    """
    with transaction.atomic():
        protocol = StudyProtocol.objects.select_for_update().filter(cohort=cohort).first()
        if protocol is not None and protocol.is_locked:
            raise ValidationError(
                "The protocol is locked: the cohort has started or participants were randomised."
            )
        if protocol is None:
            if cohort.starts_on <= timezone.localdate():
                raise ValidationError("A protocol must be registered before the cohort starts.")
            protocol = StudyProtocol(cohort=cohort)
        if not title.strip() or not information.strip() or not outcomes.strip():
            raise ValidationError("A title, the study information and the outcomes are needed.")
        protocol.title = title.strip()
        protocol.information = information.strip()
        protocol.outcomes = outcomes.strip()
        if seed is not None:
            protocol.seed = seed
        protocol.longitudinal = longitudinal
        protocol.updated_at = timezone.now()
        protocol.full_clean()
        protocol.save()
    return protocol


def research_consent_record(
    *, protocol: StudyProtocol, user: User, decision: str
) -> ResearchConsent:
    """Append a decision to the person's consent history (the history is never rewritten)."""
    if decision not in ResearchConsent.Decision.values:
        raise ValidationError("Choose to take part, to decline, or to withdraw.")
    with transaction.atomic():
        # Lock the person's history so two clicks cannot both pass the check below.
        current = (
            ResearchConsent.objects.select_for_update().filter(protocol=protocol, user=user).first()
        )
        current_decision = current.decision if current else None
        if decision == ResearchConsent.Decision.WITHDRAWN and (
            current_decision != ResearchConsent.Decision.CONSENTED
        ):
            raise ValidationError("Only someone who consented can withdraw.")
        if decision == current_decision:
            assert current is not None
            return current
        return ResearchConsent.objects.create(protocol=protocol, user=user, decision=decision)


def study_randomise(*, protocol: StudyProtocol, actor: User | None = None) -> dict[str, int]:
    """Randomise everyone who consents now into the two arms, stratified by stage × specialty.

    Runs once: the protocol row is locked and ``randomised_at`` set in the same transaction.
    People who consent later are not randomised (they take part in the program as usual).
    """
    with transaction.atomic():
        locked = StudyProtocol.objects.select_for_update().get(pk=protocol.pk)
        if locked.randomised_at is not None:
            raise ValidationError("Participants of this study were already randomised.")
        people = selectors.consenting_user_ids(locked)
        if not people:
            raise ValidationError("Nobody has consented yet, so there is no one to randomise.")
        # Filtered by cohort, not by a list of ids: a list of 50,000 parameters breaks SQLite.
        profiles = {
            user_id: (stage, specialty)
            for user_id, stage, specialty in Profile.objects.filter(
                program_id=locked.cohort.program_id, user__enrollments__cohort_id=locked.cohort_id
            ).values_list("user_id", "stage", "specialty")
            if user_id in people
        }
        strata = {
            person: randomisation.stratum_of(*profiles.get(person, ("", ""))) for person in people
        }
        arms = randomisation.allocate(strata.items(), seed=locked.seed)
        StudyAllocation.objects.bulk_create(
            StudyAllocation(protocol=locked, user_id=person, arm=arm, stratum=strata[person])
            for person, arm in sorted(arms.items())
        )
        locked.randomised_at = timezone.now()
        locked.save(update_fields=["randomised_at"])
        audit_record(
            action=AuditEvent.Action.OTHER,
            actor=actor,
            target=locked,
            event="study_randomised",
            people=len(arms),
        )
    protocol.refresh_from_db()
    counts: dict[str, int] = {}
    for arm in arms.values():
        counts[arm] = counts.get(arm, 0) + 1
    return counts
