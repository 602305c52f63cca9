"""Executing a match run: the engine's input snapshot, the run itself, and stale runs.

The background task (``tasks.py``) and the services that start runs both call this module;
it calls neither of them, so the three import in one direction only.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.engine import (
    Constraints,
    ForbiddenPair,
    MatchInputError,
    Participant,
    run_match,
)
from tandem.rounds import selectors
from tandem.rounds.models import MatchGroup, MatchRun

# A running run whose progress has not moved for this long was left by a killed worker.
STALE_AFTER = dt.timedelta(minutes=10)
PROGRESS_EVERY_SECONDS = 1.0


# ---------------------------------------------------------------------- engine input snapshot
def participant_to_json(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.id,
        "stage": participant.stage,
        "specialty": participant.specialty,
        "offers": sorted(participant.offers),
        "seeks": sorted(participant.seeks),
        "main_thing": participant.main_thing,
        "specialty_preference": participant.specialty_preference,
        "availability": sorted(participant.availability),
        "name": participant.name,
        "free_mask": None if participant.free_mask is None else hex(participant.free_mask),
        **({"priority": True} if participant.priority else {}),
        **({"ranking": list(participant.ranking)} if participant.ranking else {}),
    }


def participant_from_json(row: dict[str, Any]) -> Participant:
    return Participant(
        id=str(row["id"]),
        stage=int(row["stage"]),
        specialty=row.get("specialty", ""),
        offers=frozenset(row.get("offers", [])),
        seeks=frozenset(row.get("seeks", [])),
        main_thing=row.get("main_thing", ""),
        specialty_preference=row.get("specialty_preference", "any"),
        availability=frozenset(row.get("availability", [])),
        name=row.get("name", ""),
        free_mask=None if row.get("free_mask") is None else int(row["free_mask"], 16),
        priority=bool(row.get("priority", False)),
        ranking=tuple(str(r) for r in row.get("ranking", ())),
    )


def run_constraints(run: MatchRun) -> Constraints:
    present = {str(row["id"]) for row in run.participants}
    forbidden = [ForbiddenPair(a, b, kind=kind) for a, b, kind in run.forbidden]
    forbidden += [
        ForbiddenPair(str(a), str(b), kind="coordinator", reason="forbidden by the coordinator")
        for a, b in run.forbids
    ]
    locked = tuple(
        tuple(str(m) for m in group)
        for group in run.locks
        if all(str(m) in present for m in group) and len(group) >= 2
    )
    return Constraints(forbidden=tuple(forbidden), locked=locked)


def match_run_execute(*, run_id: int) -> MatchRun:
    """Run the engine for a queued run; its groups appear all at once, or the run fails.

    Claiming the run is one conditional update, so two workers never execute it together.
    """
    now = timezone.now()
    claimed = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        progress=0.0,
        progress_stage="starting",
        error="",
    )
    run = MatchRun.objects.select_related("cohort__program").get(pk=run_id)
    if not claimed:
        return run
    last_write = [0.0]

    def progress(stage: str, fraction: float) -> None:
        moment = time.monotonic()
        if moment - last_write[0] < PROGRESS_EVERY_SECONDS:
            return
        last_write[0] = moment
        MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
            progress_stage=stage[:40], progress=float(fraction), heartbeat_at=timezone.now()
        )

    try:
        participants = [participant_from_json(row) for row in run.participants]
        result = run_match(
            participants, selectors.engine_config(run), run_constraints(run), progress=progress
        )
        with transaction.atomic():
            locked = MatchRun.objects.select_for_update().get(pk=run_id)
            if locked.status != MatchRun.Status.RUNNING:
                return locked  # reset as stale meanwhile; a retry owns it now
            locked.groups.all().delete()
            MatchGroup.objects.bulk_create(
                MatchGroup(
                    run=locked,
                    position=position,
                    member_ids=[int(m) for m in group.members],
                    score=group.score,
                    components=group.components,
                    reasons=group.reasons,
                    member_reasons=group.member_reasons,
                    warnings=group.warnings,
                    locked=group.locked,
                )
                for position, group in enumerate(result.groups)
            )
            json = result.to_json_dict()
            locked.metrics = json["metrics"]
            locked.unmatched = [
                {"id": int(u["id"]), "reason": u["reason"]} for u in json["unmatched"]
            ]
            locked.notes = json["notes"]
            locked.status = MatchRun.Status.DRAFT
            locked.progress = 1.0
            locked.progress_stage = "done"
            locked.finished_at = timezone.now()
            locked.save()
            return locked
    except Exception as error:  # any engine failure must leave a retryable run
        message = (
            "; ".join(error.problems)
            if isinstance(error, MatchInputError)
            else f"The match could not be computed ({type(error).__name__})."
        )
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.FAILED, error=message[:500], finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run


def match_run_is_stale(run: MatchRun, now: dt.datetime | None = None) -> bool:
    """Running without progress, or queued and never picked up, for longer than STALE_AFTER.

    Retrying such a run is always safe: claiming it is one conditional update, so however
    many tasks are queued for it, one executes it.
    """
    if run.status not in (MatchRun.Status.RUNNING, MatchRun.Status.QUEUED):
        return False
    now = now or timezone.now()
    beat = run.heartbeat_at or run.started_at or run.created_at
    return now - beat > STALE_AFTER


def match_runs_reset_stale(
    *, now: dt.datetime | None = None, run_ids: Collection[int] | None = None
) -> int:
    """Mark runs left "running" by a killed worker as failed, so a coordinator can retry.

    Without ``run_ids``: runs with no progress for STALE_AFTER. With them: those runs at once,
    because their task is known to have died (a restarted worker found its process gone); the
    caller leaves out runs another queued or running task still owns.
    """
    now = now or timezone.now()
    runs = MatchRun.objects.filter(status=MatchRun.Status.RUNNING)
    if run_ids is None:
        runs = runs.filter(heartbeat_at__lt=now - STALE_AFTER)
    else:
        runs = runs.filter(pk__in=set(run_ids))
    return runs.update(
        status=MatchRun.Status.FAILED,
        error="The worker stopped before the match finished; retry it.",
        finished_at=now,
    )
