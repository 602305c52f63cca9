"""Who the evaluation compares, and from when each person is followed.

``evaluation_design`` is the single place that decides it. A randomised study compares its
arms as allocated (intention to treat over everyone randomised), followed from the cohort's
start. Otherwise a landmark analysis: people of the program at the landmark (a stated number
of months after the cohort's start) are followed from the landmark, participants being those
whose partnership had begun by then, so nobody's time before their match counts as exposed.

The research app describes a cohort's study through ``register_study_provider``: outcomes sits
below research and never imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from tandem.outcomes.followup import Leaving, Record, add_months
from tandem.outcomes.models import Departure, Grant, Publication, RankChange
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Enrollment, Profile

# Partnerships that really ran: proposed-only or declined matches did not expose anyone.
RAN = (Partnership.Status.ACTIVE, Partnership.Status.EXITED, Partnership.Status.CLOSED)
NON_PARTICIPANTS = "Non-participants of the program"
WAITLIST = "Waitlist arm of the randomised study (intention to treat)"
LANDMARK_MONTHS = 3


@dataclass(frozen=True)
class StudyDesign:
    """What a cohort's randomised study tells the evaluation (supplied by the research app)."""

    matched_now: frozenset[int]  # user ids allocated to be matched now
    waitlist: frozenset[int]
    strata: dict[int, str]  # user id -> randomisation stratum
    withdrawn: frozenset[int]  # latest research decision is a withdrawal
    protocol_sha256: str
    protocol_date: dt.date
    protocol_title: str


StudyProvider = Callable[[Cohort], StudyDesign | None]
_study_providers: list[StudyProvider] = []


def register_study_provider(provider: StudyProvider) -> None:
    """Let the research app describe a cohort's randomised study (arms, strata, protocol)."""
    if provider not in _study_providers:
        _study_providers.append(provider)


def study_design(cohort: Cohort) -> StudyDesign | None:
    for provider in _study_providers:
        design = provider(cohort)
        if design is not None:
            return design
    return None


@dataclass
class Design:
    """The groups and time zero of one evaluation."""

    label: str
    origin: dt.date  # time zero: the cohort's start (randomised) or the landmark
    entry_by: dt.date | None  # people who joined the program later are not followed
    landmark_months: int | None
    participants: list[Record]
    comparison: list[Record]
    study: StudyDesign | None = None
    # Per-protocol (randomised only): matched-now people whose partnership ran, against
    # waitlisted people who were never matched in the cohort.
    per_protocol: tuple[list[Record], list[Record]] | None = None
    received: dict[str, int] = field(default_factory=dict)

    @property
    def randomised(self) -> bool:
        return self.study is not None


def evaluation_design(cohort: Cohort, *, frozen: dict[str, list[int]] | None = None) -> Design:
    """The design of the cohort's evaluation.

    ``frozen`` (``{"participants": [user ids], "comparison": [user ids]}``, as kept with a
    saved report version) fixes who is in each group, so people added to the program later
    never change a report once it is saved.
    """
    study = study_design(cohort)
    records = _records(cohort, study)
    members = PartnershipMember.objects.filter(partnership__cohort=cohort)
    touched = set(members.values_list("user_id", flat=True))
    if study is not None:
        ran = {user_id for user_id, record in records.items() if record.exposed_on is not None}
        participants = _pick(records, study.matched_now)
        comparison = _pick(records, study.waitlist)
        design = Design(WAITLIST, cohort.starts_on, None, None, participants, comparison, study)
        design.per_protocol = (
            _pick(records, study.matched_now & ran),
            _pick(records, study.waitlist - touched),
        )
        design.received = {
            "matched_now": len(study.matched_now & ran),
            "waitlist": len(study.waitlist - touched),
        }
    else:
        landmark = add_months(cohort.starts_on, LANDMARK_MONTHS)
        exposed = {
            user_id
            for user_id, record in records.items()
            if record.exposed_on is not None and record.exposed_on <= landmark
        }
        # Matched after the landmark: unexposed at the landmark, so in the comparison (the
        # landmark rule; leaving them out would keep only comparison people who stayed).
        unexposed = (set(records) - touched) | {
            user_id for user_id, record in records.items() if record.exposed_on is not None
        }
        design = Design(
            NON_PARTICIPANTS,
            landmark,
            landmark,
            LANDMARK_MONTHS,
            _pick(records, exposed),
            _pick(records, unexposed - exposed),
        )
    if frozen is not None:
        design.participants = _pick(records, set(frozen.get("participants", [])))
        design.comparison = _pick(records, set(frozen.get("comparison", [])))
    return design


def _pick(records: dict[int, Record], user_ids: Iterable[int]) -> list[Record]:
    chosen = set(user_ids)
    return [record for user_id, record in records.items() if user_id in chosen]


def _records(cohort: Cohort, study: StudyDesign | None) -> dict[int, Record]:
    """Every person of the program with what the registry knows of them, by user id."""
    program = cohort.program
    profiles = list(Profile.objects.filter(program=program).order_by("pk"))
    joined: dict[int, dt.date] = {}
    enrolments = Enrollment.objects.filter(cohort__program=program).values_list(
        "user_id", "enrolled_at", "cohort__starts_on"
    )
    for user_id, enrolled_at, starts_on in enrolments:
        # A roster imported after a cohort began still records who was in it from its start.
        day = min(timezone.localtime(enrolled_at).date(), starts_on)
        joined[user_id] = min(day, joined.get(user_id, day))
    exposed: dict[int, dt.date] = {}
    members = PartnershipMember.objects.filter(
        partnership__cohort=cohort, partnership__status__in=RAN
    ).values_list("user_id", "joined_at", "partnership__activated_at", "partnership__created_at")
    for user_id, joined_at, activated_at, created_at in members:
        began = max(activated_at or created_at, joined_at)
        day = timezone.localtime(began).date()
        exposed[user_id] = min(day, exposed.get(user_id, day))
    leavings = {
        departure.profile_id: Leaving(
            departure.left_on,
            departure.is_attrition,
            departure.scope == Departure.Scope.INSTITUTION,
        )
        for departure in Departure.objects.filter(profile__program=program)
    }
    publications = _years(Publication.objects.filter(profile__program=program))
    grants = _years(Grant.objects.filter(profile__program=program))
    promotions: dict[int, list[dt.date]] = {}
    for change in RankChange.objects.filter(profile__program=program):
        if change.is_promotion(program):
            promotions.setdefault(change.profile_id, []).append(change.changed_on)
    strata = study.strata if study is not None else {}
    return {
        profile.user_id: Record(
            user_id=profile.user_id,
            joined_on=joined.get(profile.user_id, dt.date.max),
            exposed_on=exposed.get(profile.user_id),
            leaving=leavings.get(profile.pk),
            publication_years=tuple(publications.get(profile.pk, ())),
            grant_years=tuple(grants.get(profile.pk, ())),
            promotions=tuple(promotions.get(profile.pk, ())),
            stage=profile.stage or "not given",
            specialty=profile.specialty or "not given",
            stratum=strata.get(profile.user_id, ""),
        )
        for profile in profiles
    }


def _years(outcomes: QuerySet[Publication] | QuerySet[Grant]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for profile_id, year in outcomes.values_list("profile_id", "year"):
        found.setdefault(profile_id, []).append(year)
    return found
