"""API for match rounds: a cohort's runs (list, start, read, publish), late-joiner placements,
one's proposals, and one's answers to late joiners.

Runs and placements follow the pages' rules (the program's coordinators and the operator,
404 for anyone else; nobody places themself); proposals go through ``access_partnership``
(current members only) and placement answers through ``access_placement_consent`` (the asked
members only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from tandem.core.api import api_user
from tandem.partnerships import services as partnership_services
from tandem.partnerships.models import Partnership
from tandem.partnerships.policies import access_partnership
from tandem.programs.policies import access_cohort
from tandem.rounds import policies, selectors, services
from tandem.rounds.models import MatchRun, PlacementConsent

router = Router()


class RunIn(Schema):
    # The page's bounds; a seed the database cannot store (below 0, or past 2**31 on
    # PostgreSQL) used to be a 500.
    seed: int = Field(0, ge=0, le=MatchRun.SEED_MAX)


class RunOut(Schema):
    id: int
    cohort: str
    status: str
    mode: str
    seed: int
    people: int
    progress: float
    error: str
    metrics: dict[str, Any]
    created_at: dt.datetime
    published_at: dt.datetime | None


class GroupOut(Schema):
    members: list[int]
    score: float
    components: dict[str, float]
    reasons: list[str]
    warnings: list[str]
    locked: bool
    partnership_id: int | None


class UnmatchedOut(Schema):
    id: int
    reason: str


class RunDetailOut(RunOut):
    groups: list[GroupOut]
    unmatched: list[UnmatchedOut]


class PublishedOut(Schema):
    partnerships: list[int]


class PartnerOut(Schema):
    name: str
    stage: str
    specialty: str
    offers: list[str]
    seeks: list[str]
    main_thing: str


class ProposalOut(Schema):
    partnership_id: int
    cohort: str
    status: str
    respond_by: dt.datetime | None
    my_response: str
    partners: list[PartnerOut]
    reasons: list[str]


class AnswerOut(Schema):
    partnership_id: int
    status: str


class PlacementIn(Schema):
    user_id: int
    partnership_id: int


class PlacementOut(Schema):
    placement_id: int
    status: str


class JoinerOut(Schema):
    placement_id: int
    cohort: str
    newcomer: PartnerOut
    reasons: list[str]
    my_answer: str


class JoinerAnswerIn(Schema):
    agree: bool


def _run_out(run: MatchRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "cohort": run.cohort.slug,
        "status": run.status,
        "mode": run.mode,
        "seed": run.seed,
        "people": run.size,
        "progress": run.progress,
        "error": run.error,
        "metrics": run.metrics,
        "created_at": run.created_at,
        "published_at": run.published_at,
    }


def _run_detail(run: MatchRun) -> dict[str, Any]:
    return {
        **_run_out(run),
        "groups": [
            {
                "members": g.member_ids,
                "score": g.score,
                "components": g.components,
                "reasons": g.reasons,
                "warnings": g.warnings,
                "locked": g.locked,
                "partnership_id": g.partnership_id,
            }
            for g in run.groups.all()
        ],
        "unmatched": run.unmatched,
    }


def _proposal_out(partnership: Partnership, request: HttpRequest) -> dict[str, Any]:
    details = selectors.proposal_details(partnership, api_user(request))
    partners = []
    for partner in details["partners"]:
        profile = partner["profile"]
        partners.append(
            {
                "name": partner["user"].get_full_name(),
                "stage": profile.stage if profile else "",
                "specialty": profile.specialty if profile else "",
                "offers": list(profile.offers) if profile else [],
                "seeks": list(profile.seeks) if profile else [],
                "main_thing": profile.main_thing if profile else "",
            }
        )
    me = details["me"]
    return {
        "partnership_id": partnership.pk,
        "cohort": partnership.cohort.slug,
        "status": partnership.status,
        "respond_by": partnership.respond_by,
        "my_response": me.response if me else "",
        "partners": partners,
        "reasons": details["reasons"],
    }


@router.get(
    "/programs/{slug}/cohorts/{cohort_slug}/match-runs", response=list[RunOut], tags=["rounds"]
)
def cohort_runs(request: HttpRequest, slug: str, cohort_slug: str) -> list[dict[str, Any]]:
    cohort = access_cohort(api_user(request), slug, cohort_slug)
    return [_run_out(run) for run in selectors.runs_for_cohort(cohort)]


@router.post(
    "/programs/{slug}/cohorts/{cohort_slug}/match-runs",
    response={201: RunOut},
    tags=["rounds"],
)
def run_create(
    request: HttpRequest, slug: str, cohort_slug: str, payload: RunIn
) -> Status[dict[str, Any]]:
    """Start a run; small runs come back finished, large ones queued (poll the run)."""
    cohort = access_cohort(api_user(request), slug, cohort_slug)
    run = services.match_run_start(cohort=cohort, created_by=api_user(request), seed=payload.seed)
    return Status(201, _run_out(run))


@router.get("/match-runs/{run_id}", response=RunDetailOut, tags=["rounds"])
def run_detail(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return _run_detail(policies.access_match_run(api_user(request), run_id))


@router.post("/match-runs/{run_id}/publish", response=PublishedOut, tags=["rounds"])
def run_publish(request: HttpRequest, run_id: int) -> dict[str, Any]:
    run = policies.access_match_run(api_user(request), run_id)
    created = services.match_run_publish(run=run, by=api_user(request))
    return {"partnerships": [p.pk for p in created]}


@router.get("/me/proposals", response=list[ProposalOut], tags=["rounds"])
def my_proposals(request: HttpRequest) -> list[dict[str, Any]]:
    return [_proposal_out(p, request) for p in selectors.proposals_for_user(api_user(request))]


@router.get("/me/proposals/{partnership_id}", response=ProposalOut, tags=["rounds"])
def my_proposal(request: HttpRequest, partnership_id: int) -> dict[str, Any]:
    return _proposal_out(access_partnership(api_user(request), partnership_id), request)


@router.post("/me/proposals/{partnership_id}/accept", response=AnswerOut, tags=["rounds"])
def proposal_accept(request: HttpRequest, partnership_id: int) -> dict[str, Any]:
    partnership = access_partnership(api_user(request), partnership_id)
    answered = partnership_services.partnership_accept(
        partnership=partnership, member=api_user(request)
    )
    return {"partnership_id": answered.pk, "status": answered.status}


@router.post("/me/proposals/{partnership_id}/decline", response=AnswerOut, tags=["rounds"])
def proposal_decline(request: HttpRequest, partnership_id: int) -> dict[str, Any]:
    partnership = access_partnership(api_user(request), partnership_id)
    answered = partnership_services.partnership_decline(
        partnership=partnership, member=api_user(request)
    )
    return {"partnership_id": answered.pk, "status": answered.status}


@router.post(
    "/programs/{slug}/cohorts/{cohort_slug}/placements",
    response={201: PlacementOut},
    tags=["rounds"],
)
def placement_create(
    request: HttpRequest, slug: str, cohort_slug: str, payload: PlacementIn
) -> Status[dict[str, Any]]:
    """Ask a live partnership's members whether someone of the rematch pool may join it."""
    cohort = access_cohort(api_user(request), slug, cohort_slug)
    entry = next((e for e in selectors.rematch_pool(cohort) if e.user.pk == payload.user_id), None)
    if entry is None:
        raise Http404
    placement = services.late_joiner_place(
        cohort=cohort,
        user=entry.user,
        partnership_id=payload.partnership_id,
        by=api_user(request),
    )
    return Status(201, {"placement_id": placement.pk, "status": placement.status})


def _joiner_out(consent: PlacementConsent) -> dict[str, Any]:
    details = selectors.placement_details(consent)
    profile = details["profile"]
    return {
        "placement_id": consent.placement_id,
        "cohort": consent.placement.partnership.cohort.slug,
        "newcomer": {
            "name": details["newcomer"].get_full_name(),
            "stage": profile.stage if profile else "",
            "specialty": profile.specialty if profile else "",
            "offers": list(profile.offers) if profile else [],
            "seeks": list(profile.seeks) if profile else [],
            "main_thing": profile.main_thing if profile else "",
        },
        "reasons": details["reasons"],
        "my_answer": consent.answer,
    }


@router.get("/me/joiners", response=list[JoinerOut], tags=["rounds"])
def my_joiners(request: HttpRequest) -> list[dict[str, Any]]:
    """Late joiners waiting for this person's answer."""
    return [_joiner_out(c) for c in selectors.placement_consents_for(api_user(request))]


@router.get("/me/joiners/{placement_id}", response=JoinerOut, tags=["rounds"])
def my_joiner(request: HttpRequest, placement_id: int) -> dict[str, Any]:
    return _joiner_out(policies.access_placement_consent(api_user(request), placement_id))


@router.post("/me/joiners/{placement_id}/answer", response=PlacementOut, tags=["rounds"])
def my_joiner_answer(
    request: HttpRequest, placement_id: int, payload: JoinerAnswerIn
) -> dict[str, Any]:
    """Agree or not; one "no" cancels the placement and nobody is told whose it was."""
    consent = policies.access_placement_consent(api_user(request), placement_id)
    placement = services.placement_consent_answer(
        placement=consent.placement, member=api_user(request), agree=payload.agree
    )
    return {"placement_id": placement.pk, "status": placement.status}
