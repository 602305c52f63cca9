"""Writes for match rounds: start, execute, edit, re-run and publish a run; place late joiners.

A run's input is snapshotted when it starts and its groups are written in one transaction
when the engine finishes, so a failure leaves no partial state and a retry with the same seed
gives the same result. Publishing locks the run row and turns every group into a proposed
partnership in one transaction, or none.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.mail import email_batch, send_email_on_commit
from tandem.core.standing import departed
from tandem.engine import (
    MatchConfig,
    Weights,
)
from tandem.engine.explain import group_score, member_reasons, reasons
from tandem.engine.feasibility import Feasibility
from tandem.engine.scoring import Cohort as EngineCohort
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Profile
from tandem.rounds import policies, selectors
from tandem.rounds.execution import (
    match_run_execute,
    match_run_is_stale,
    participant_from_json,
    participant_to_json,
    run_constraints,
)
from tandem.rounds.models import MatchGroup, MatchRun, Placement, PlacementConsent
from tandem.rounds.tasks import execute_match_run

# Rows per INSERT/UPDATE when a cohort is published: a few statements for thousands of people.
PUBLISH_BATCH = 1000


# ---------------------------------------------------------------------- start and execute
def match_run_start(
    *,
    cohort: Cohort,
    created_by: User | None,
    seed: int = 0,
    parent: MatchRun | None = None,
    locks: Sequence[Sequence[int]] = (),
    forbids: Sequence[Sequence[int]] = (),
    inline: bool | None = None,
    mode: str | None = None,
    rankings: dict[int, list[int]] | None = None,
    mutual_objective: str = MatchRun.MutualObjective.FEWEST_BLOCKING,
) -> MatchRun:
    """Snapshot the cohort's matching input into a new run and execute it.

    ``mode`` overrides the cohort's mode for this run; ``rankings`` maps a person to the people
    they ranked, best first (a speed-mentoring event's), which mutual mode uses as given.

    Runs up to ``selectors.inline_limit()`` people finish before this returns; larger ones are
    queued for the background worker once the transaction commits (``inline`` overrides).
    """
    matching = selectors.participants_for_matching(cohort)
    if len(matching.participants) < 2:
        raise ValidationError("At least two people with a career stage are needed for a match.")
    if mutual_objective not in MatchRun.MutualObjective.values:
        raise ValidationError(f"Unknown objective for mutual choice: {mutual_objective!r}.")
    present = {int(p.id) for p in matching.participants}
    # People whose proposal was not taken up are paired first in the rematch.
    first = {e.user.pk for e in selectors.rematch_pool(cohort) if e.priority}
    ranked = rankings or {}
    people = [
        dataclasses.replace(
            p,
            priority=int(p.id) in first,
            ranking=tuple(str(r) for r in ranked.get(int(p.id), ())),
        )
        for p in matching.participants
    ]
    run = MatchRun.objects.create(
        cohort=cohort,
        parent=parent,
        mode=mode or cohort.mode,
        weights=dict(cohort.match_weights),
        seed=seed,
        allow_previous_partners=cohort.allow_previous_partners,
        mutual_objective=mutual_objective,
        participants=[participant_to_json(p) for p in people],
        forbidden=[[f.a, f.b, f.kind] for f in matching.forbidden],
        locks=[sorted(g) for g in locks if len(set(g) & present) == len(g) and len(g) >= 2],
        forbids=[sorted(pair) for pair in forbids],
        created_by=created_by,
    )
    audit_record(
        action=AuditEvent.Action.OTHER, actor=created_by, target=run, event="match_run_started"
    )
    match_run_dispatch(run=run, inline=inline)
    run.refresh_from_db()
    return run


def match_run_dispatch(*, run: MatchRun, inline: bool | None = None) -> None:
    if inline is None:
        inline = run.size <= selectors.inline_limit()
    if inline:
        match_run_execute(run_id=run.pk)
        return
    run_id = run.pk
    transaction.on_commit(lambda: execute_match_run.enqueue(run_id))


def match_run_retry(*, run: MatchRun, by: User | None, inline: bool | None = None) -> MatchRun:
    """Run a failed (or stale) run again from its snapshot; the same seed gives the same groups."""
    with transaction.atomic():
        locked = MatchRun.objects.select_for_update().get(pk=run.pk)
        if not (locked.status == MatchRun.Status.FAILED or match_run_is_stale(locked)):
            raise ValidationError("Only a failed or interrupted run can be retried.")
        locked.status = MatchRun.Status.QUEUED
        locked.error = ""
        locked.progress = 0.0
        locked.progress_stage = ""
        locked.save(update_fields=["status", "error", "progress", "progress_stage"])
    audit_record(action=AuditEvent.Action.OTHER, actor=by, target=locked, event="match_run_retry")
    match_run_dispatch(run=locked, inline=inline)
    locked.refresh_from_db()
    return locked


def match_run_rerun(*, run: MatchRun, by: User | None, seed: int | None = None) -> MatchRun:
    """A new run of the cohort that keeps this run's locked groups together and forbids apart."""
    run = MatchRun.objects.select_related("cohort__program").get(pk=run.pk)
    if run.status == MatchRun.Status.PUBLISHED:
        raise ValidationError("This run is published; start a new run for the rematch pool.")
    locks = [list(g.member_ids) for g in run.groups.filter(locked=True)]
    rankings = {
        int(row["id"]): [int(r) for r in row["ranking"]]
        for row in run.participants
        if row.get("ranking")
    }
    return match_run_start(
        cohort=run.cohort,
        created_by=by,
        seed=run.seed if seed is None else seed,
        parent=run,
        locks=locks,
        forbids=run.forbids,
        # A run from a speed-mentoring event's rankings is rerun with them, in its own mode.
        mode=run.mode if rankings else None,
        rankings=rankings,
        mutual_objective=run.mutual_objective,
    )


# ---------------------------------------------------------------------- review edits
class GroupScorer:
    """Scores hand-made groups of one run against the run's own cohort snapshot, at once."""

    def __init__(self, run: MatchRun) -> None:
        participants = [participant_from_json(row) for row in run.participants]
        config: MatchConfig = selectors.engine_config(run)
        self.cohort = EngineCohort(participants, config)
        self.feas = Feasibility(participants, config, run_constraints(run), self.cohort.index)

    def score(self, member_ids: Sequence[int]) -> dict[str, Any]:
        index = [self.cohort.index[str(m)] for m in member_ids]
        scored = group_score(self.cohort, self.feas, index)
        return {
            "score": float(scored.score),
            "components": {k: round(float(v), 4) for k, v in scored.components.items()},
            "reasons": reasons(self.cohort, index, scored.components),
            "member_reasons": member_reasons(self.cohort, index, scored.components),
            "violations": list(scored.violations),
        }


def _editable(run_id: int) -> MatchRun:
    run = MatchRun.objects.select_for_update().select_related("cohort__program").get(pk=run_id)
    if not run.is_editable:
        raise ValidationError("Only a draft or reviewed run can be changed.")
    return run


def _group_of(run: MatchRun, group_id: int) -> MatchGroup:
    group = run.groups.filter(pk=group_id).first()
    if group is None:
        raise ValidationError("That group is not part of this run.")
    return group


def _rescore(run: MatchRun, group: MatchGroup, scorer: GroupScorer, *, note: str = "") -> None:
    scored = scorer.score(group.member_ids)
    group.score = scored["score"]
    group.components = scored["components"]
    group.reasons = scored["reasons"]
    group.member_reasons = scored["member_reasons"]
    group.violations = scored["violations"]
    threshold = MatchConfig().low_score_warning
    group.warnings = [
        w for w in group.warnings if not w.startswith(("Low score", "Moved by", "Breaks"))
    ]
    if group.score < threshold:
        group.warnings.append(
            f"Low score ({group.score:.1f} < {threshold:g}): worth a look before publishing"
        )
    if note:
        group.warnings.append(note)
    group.warnings += [f"Breaks a rule: {v}" for v in group.violations]
    group.save()


def match_group_lock(
    *, run: MatchRun, group_id: int, locked: bool, by: User | None = None
) -> MatchGroup:
    """Keep a group together through re-runs (or let it go again); never one's own group."""
    with transaction.atomic():
        fresh = _editable(run.pk)
        group = _group_of(fresh, group_id)
        policies.require_not_in(
            by,
            group.member_ids,
            message="You are in this group, so another coordinator must lock or unlock it.",
        )
        group.locked = locked
        group.save(update_fields=["locked"])
        _sync_locks(fresh)
        audit_record(
            action=AuditEvent.Action.PLACEMENT,
            actor=by,
            target=fresh,
            event="group_locked" if locked else "group_unlocked",
            people=sorted(group.member_ids),
        )
    return group


def _sync_locks(run: MatchRun) -> None:
    run.locks = [sorted(g.member_ids) for g in run.groups.filter(locked=True)]
    run.save(update_fields=["locks"])


def match_run_forbid(*, run: MatchRun, a: int, b: int, by: User | None = None) -> MatchRun:
    """Keep two people apart in this run and its re-runs; a group holding both is flagged."""
    if a == b:
        raise ValidationError("Pick two different people.")
    policies.require_not_in(
        by, (a, b), message="You are one of these two, so another coordinator must decide this."
    )
    with transaction.atomic():
        fresh = _editable(run.pk)
        ids = {int(row["id"]) for row in fresh.participants}
        if a not in ids or b not in ids:
            raise ValidationError("Both people must be in this run.")
        pair = sorted((a, b))
        if pair not in fresh.forbids:
            fresh.forbids = [*fresh.forbids, pair]
            fresh.save(update_fields=["forbids"])
        scorer = GroupScorer(fresh)
        for group in fresh.groups.all():
            if a in group.member_ids and b in group.member_ids:
                group.locked = False
                _rescore(fresh, group, scorer)
        _sync_locks(fresh)
    return fresh


def _group_members_of(run: MatchRun, person_id: int) -> list[int]:
    source = next((g for g in run.groups.all() if person_id in g.member_ids), None)
    return list(source.member_ids) if source is not None else []


def move_options(run: MatchRun, person_id: int) -> list[dict[str, Any]]:
    """Every other group with the score it would have if ``person_id`` joined it."""
    scorer = GroupScorer(run)
    options = []
    for group in run.groups.all():
        if person_id in group.member_ids:
            continue
        scored = scorer.score([*group.member_ids, person_id])
        options.append(
            {
                "group": group,
                "score": scored["score"],
                "change": scored["score"] - group.score,
                "violations": scored["violations"],
            }
        )
    options.sort(key=lambda o: (bool(o["violations"]), -o["score"]))
    return options


def match_run_move(
    *, run: MatchRun, person_id: int, to_group_id: int, by: User | None = None
) -> MatchRun:
    """Move one person into another group; both groups are rescored and locked.

    A group left with one person is dissolved and that person listed as unmatched. Nobody
    moves themself, or anyone into or out of a group they are in.
    """
    with transaction.atomic():
        fresh = _editable(run.pk)
        target = _group_of(fresh, to_group_id)
        policies.require_not_in(
            by,
            [person_id, *target.member_ids, *_group_members_of(fresh, person_id)],
            message=("You are in one of these groups, so another coordinator must make this move."),
        )
        if person_id in target.member_ids:
            raise ValidationError("That person is already in this group.")
        if len(target.member_ids) >= 12:
            raise ValidationError("That group is already as large as a group may be.")
        ids = {int(row["id"]) for row in fresh.participants}
        if person_id not in ids:
            raise ValidationError("That person is not in this run.")
        scorer = GroupScorer(fresh)
        source = next((g for g in fresh.groups.all() if person_id in g.member_ids), None)
        name = selectors.people_of_run(fresh)[person_id]["name"]
        fresh.unmatched = [u for u in fresh.unmatched if u["id"] != person_id]
        if source is not None:
            source.member_ids = [m for m in source.member_ids if m != person_id]
            if len(source.member_ids) < 2:
                fresh.unmatched += [
                    {"id": m, "reason": "left alone when their partner was moved"}
                    for m in source.member_ids
                ]
                source.delete()
            else:
                source.locked = True
                _rescore(fresh, source, scorer, note=f"Moved by the coordinator: {name} left")
        target.member_ids = [*target.member_ids, person_id]
        target.locked = True
        _rescore(fresh, target, scorer, note=f"Moved by the coordinator: {name} joined")
        audit_record(
            action=AuditEvent.Action.PLACEMENT,
            actor=by,
            target=fresh,
            event="match_move",
            person=person_id,
            group=target.pk,
        )
        fresh.save(update_fields=["unmatched"])
        _sync_locks(fresh)
        _refresh_metrics(fresh)
    return fresh


def _refresh_metrics(run: MatchRun) -> None:
    scores = [g.score for g in run.groups.all()]
    placed = sum(len(g.member_ids) for g in run.groups.all())
    total = float(sum(scores))
    run.metrics = {
        **run.metrics,
        "total": round(total, 4),
        "mean": round(total / len(scores), 4) if scores else 0.0,
        "min": round(min(scores), 4) if scores else 0.0,
        "coverage": round(placed / run.size, 4) if run.size else 1.0,
    }
    run.save(update_fields=["metrics"])


def match_run_mark_reviewed(*, run: MatchRun, by: User | None) -> MatchRun:
    with transaction.atomic():
        fresh = _editable(run.pk)
        fresh.status = MatchRun.Status.REVIEWED
        fresh.save(update_fields=["status"])
    audit_record(action=AuditEvent.Action.OTHER, actor=by, target=fresh, event="match_reviewed")
    return fresh


# ---------------------------------------------------------------------- publish
def match_run_publish(*, run: MatchRun, by: User | None, notify: bool = True) -> list[Partnership]:
    """Turn every group into a proposed partnership, all in one transaction or none.

    The run row is locked (``select_for_update``) and claimed with a conditional update, so
    two coordinators publishing at once create exactly one set. Each member is emailed after
    the commit with the shared reasons only.
    """
    with transaction.atomic():
        locked = (
            MatchRun.objects.select_for_update().select_related("cohort__program").get(pk=run.pk)
        )
        policies.require_can_publish(by, locked)
        claimed = MatchRun.objects.filter(pk=run.pk, status__in=MatchRun.EDITABLE).update(
            status=MatchRun.Status.PUBLISHED, published_at=timezone.now(), published_by=by
        )
        if not claimed:
            raise ValidationError("This run cannot be published (it is not a draft or reviewed).")
        groups = list(locked.groups.all())
        if not groups:
            raise ValidationError("This run proposed no groups.")
        if any(g.violations for g in groups):
            raise ValidationError("A group breaks a rule; fix it or re-run before publishing.")
        cohort = locked.cohort
        now = timezone.now()
        respond_by = now + dt.timedelta(days=cohort.response_days)
        try:
            created = _propose_all(cohort, groups, now, respond_by)
        except IntegrityError:
            raise ValidationError(
                "Someone in this run is already in a live partnership of the cohort; "
                "start a new run for the rematch pool."
            ) from None
        audit_record(
            action=AuditEvent.Action.PLACEMENT,
            actor=by,
            target=locked,
            event="match_published",
            partnerships=len(created),
            people=sorted(m for g in groups for m in g.member_ids),
        )
        if notify:
            # The e-mails are written by the worker after the commit, so publishing a cohort
            # of thousands returns at once.
            run_id = locked.pk
            transaction.on_commit(lambda: write_proposal_emails.enqueue(run_id))
    return created


def match_run_proposal_emails(*, run_id: int) -> int:
    """Write the proposal e-mail of every member of a published run, each sent by its own task.

    Runs in the worker once the publish has committed: all the e-mails are inserted together
    and one task hands each its own. Returns how many were written.
    """
    run = MatchRun.objects.select_related("cohort__program").get(pk=run_id)
    groups = list(run.groups.exclude(partnership=None).select_related("partnership__cohort"))
    users = {u.pk: u for u in User.objects.filter(pk__in=[m for g in groups for m in g.member_ids])}
    profiles = {
        profile.user_id: profile
        for profile in Profile.objects.filter(program=run.cohort.program, user_id__in=list(users))
    }
    with transaction.atomic(), email_batch():
        for group in groups:
            assert group.partnership is not None
            proposal_emails(
                partnership=group.partnership,
                users=[users[m] for m in group.member_ids],
                group=group,
                profiles=profiles,
            )
    return sum(len(group.member_ids) for group in groups)


@task()
def write_proposal_emails(run_id: int) -> int:
    """Write the proposal e-mails of a run just published; each is then sent on its own.

    A task of this module rather than of tasks.py, which this module imports."""
    return match_run_proposal_emails(run_id=run_id)


def _kind_for(size: int) -> str:
    if size == 2:
        return Partnership.Kind.PAIR
    return Partnership.Kind.TRIAD if size == 3 else Partnership.Kind.CIRCLE


def _propose_all(
    cohort: Cohort, groups: Sequence[MatchGroup], now: dt.datetime, respond_by: dt.datetime
) -> list[Partnership]:
    """One proposed partnership per group, in the groups' order, with a handful of queries
    whatever the cohort's size: the partnerships, their members and the groups' links are each
    written together (``bulk_create`` returns the new ids)."""
    with transaction.atomic():
        partnerships = Partnership.objects.bulk_create(
            [
                Partnership(
                    cohort=cohort,
                    kind=_kind_for(len(group.member_ids)),
                    status=Partnership.Status.PROPOSED,
                    respond_by=respond_by,
                )
                for group in groups
            ],
            batch_size=PUBLISH_BATCH,
        )
        PartnershipMember.objects.bulk_create(
            [
                PartnershipMember(partnership=partnership, user_id=m, cohort=cohort, joined_at=now)
                for group, partnership in zip(groups, partnerships, strict=True)
                for m in group.member_ids
            ],
            batch_size=PUBLISH_BATCH,
        )
    for group, partnership in zip(groups, partnerships, strict=True):
        group.partnership = partnership
    MatchGroup.objects.bulk_update(groups, ["partnership"], batch_size=PUBLISH_BATCH)
    return partnerships


def proposal_emails(
    *,
    partnership: Partnership,
    users: Sequence[User],
    placement: Placement | None = None,
    group: MatchGroup | None = None,
    recipients: Sequence[User] | None = None,
    profiles: dict[int, Profile] | None = None,
) -> None:
    """Tell each member a match is proposed: partners' shared profile fields and the reasons,
    written to that member ("You both …"); a placement's reasons replace the group's.

    ``group`` and ``profiles`` (by user id) may be given by a caller that has them already, as
    publishing does for every group at once.
    """
    explained: MatchGroup | Placement | None = (
        placement or group or MatchGroup.objects.filter(partnership=partnership).first()
    )
    if profiles is None:
        profiles = {
            p.user_id: p
            for p in Profile.objects.filter(
                program=partnership.cohort.program, user_id__in=[u.pk for u in users]
            )
        }
    link = reverse("rounds:proposal", args=[partnership.pk])
    for user in recipients if recipients is not None else users:
        partners = [
            {"name": other.get_full_name(), "profile": profiles.get(other.pk)}
            for other in users
            if other.pk != user.pk
        ]
        send_email_on_commit(
            to=[user.email],
            template="rounds/email/match_proposed",
            context={
                "recipient": user,
                "cohort": partnership.cohort,
                "partners": partners,
                "reasons": explained.reasons_for(user.pk) if explained else [],
                "respond_by": partnership.respond_by,
                "link": link,
            },
        )


# ---------------------------------------------------------------------- late joiners
def placement_options(*, cohort: Cohort, user: User) -> list[dict[str, Any]]:
    """Live partnerships of the cohort this person could join, best fit first, with scores."""
    profile = (
        Profile.objects.filter(program=cohort.program, user=user).select_related("user").first()
    )
    stage = cohort.program.stage_index(profile.stage) if profile and profile.stage else None
    if profile is None or stage is None:
        raise ValidationError("This person has no career stage on the program's ladder yet.")
    if PartnershipMember.objects.filter(cohort=cohort, user=user, is_current=True).exists():
        raise ValidationError("This person is already in a live partnership of the cohort.")
    gone = departed(cohort.program, [user.pk], today=timezone.localdate())
    if user.pk in gone:
        raise ValidationError(f"This person {gone[user.pk]}; they are not placed again.")
    limit = 3 if cohort.mode != Cohort.Mode.CIRCLES else MatchConfig().max_group
    partnerships = [
        p
        for p in cohort.partnerships.filter(status__in=Partnership.LIVE_STATUSES)
        .exclude(placements__status=Placement.Status.ASKING)
        .prefetch_related("members")
        if len([m for m in p.members.all() if m.is_current]) < limit
    ]
    member_ids = {m.user_id for p in partnerships for m in p.members.all() if m.is_current}
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(
            program=cohort.program, user_id__in=member_ids
        ).select_related("user")
    }
    participants = [selectors.participant_from_profile(profile, stage)]
    for _user_id, other in sorted(profiles.items()):
        other_stage = cohort.program.stage_index(other.stage) if other.stage else None
        if other_stage is not None:
            participants.append(selectors.participant_from_profile(other, other_stage))
    ids = {int(p.id) for p in participants}
    forbidden = selectors.forbidden_pairs(cohort, ids)
    run = MatchRun(
        cohort=cohort,
        mode=cohort.mode,
        weights=dict(cohort.match_weights),
        allow_previous_partners=cohort.allow_previous_partners,
        participants=[participant_to_json(p) for p in participants],
        forbidden=[[f.a, f.b, f.kind] for f in forbidden],
    )
    scorer = GroupScorer(run)
    options = []
    for partnership in partnerships:
        current = [m.user_id for m in partnership.members.all() if m.is_current]
        if not all(m in ids for m in current):
            continue
        scored = scorer.score([*current, user.pk])
        options.append({"partnership": partnership, "members": current, **scored})
    options.sort(key=lambda o: (bool(o["violations"]), -o["score"]))
    return options


def late_joiner_place(
    *, cohort: Cohort, user: User, partnership_id: int, by: User | None, notify: bool = True
) -> Placement:
    """Ask every current member of a live partnership whether a late joiner may join.

    Nothing changes in the partnership yet: the newcomer joins only when every member has
    agreed (``placement_consent_answer``), and is told nothing until then. Nobody places
    themself or anyone into a partnership of theirs. Locks the partnership row
    (``select_for_update``); the database allows one open placement per partnership and per
    newcomer.
    """
    options = {o["partnership"].pk: o for o in placement_options(cohort=cohort, user=user)}
    option = options.get(partnership_id)
    if option is None:
        raise ValidationError("That partnership cannot take another member.")
    if option["violations"]:
        raise ValidationError("That placement breaks a rule: " + "; ".join(option["violations"]))
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=partnership_id)
        if not partnership.is_live:
            raise ValidationError("That partnership has ended.")
        policies.require_can_place(by, user, partnership)
        open_placements = Placement.objects.filter(status=Placement.Status.ASKING)
        if open_placements.filter(partnership=partnership).exists():
            raise ValidationError("That partnership is still answering another placement.")
        if open_placements.filter(cohort=cohort, newcomer=user).exists():
            raise ValidationError("This person's placement is already waiting for answers.")
        members = list(
            partnership.members.filter(is_current=True).select_related("user").order_by("pk")
        )
        placement = Placement.objects.create(
            cohort=cohort,
            partnership=partnership,
            newcomer=user,
            placed_by=by,
            reasons=list(option["reasons"]),
            member_reasons=dict(option["member_reasons"]),
        )
        PlacementConsent.objects.bulk_create(
            PlacementConsent(placement=placement, member=member.user) for member in members
        )
        audit_record(
            action=AuditEvent.Action.PLACEMENT,
            actor=by,
            target=partnership,
            event="late_joiner_asked",
            placement=placement.pk,
            newcomer=user.pk,
        )
        link = reverse("rounds:placement", args=[placement.pk])
        for member in members if notify else []:
            send_email_on_commit(
                to=[member.user.email],
                template="rounds/email/placement_asked",
                context={
                    "recipient": member.user,
                    "cohort": cohort,
                    "newcomer": user.get_full_name(),
                    "link": link,
                },
            )
    return placement


def placement_consent_answer(*, placement: Placement, member: User, agree: bool) -> Placement:
    """Record one member's answer; the last "yes" places the newcomer, any "no" cancels.

    A "no" is never attributed: the newcomer and the coordinator hear only that the
    placement did not go ahead. Locks the placement, then the partnership
    (``select_for_update``), so two last answers arriving together decide once.
    """
    with transaction.atomic():
        locked = Placement.objects.select_for_update().select_related("cohort").get(pk=placement.pk)
        if locked.status != Placement.Status.ASKING:
            raise ValidationError("This placement has already been decided.")
        consent = PlacementConsent.objects.filter(placement=locked, member=member).first()
        if consent is None:
            raise ValidationError("Only a member of this partnership can answer.")
        if consent.answer != PlacementConsent.Answer.PENDING:
            raise ValidationError("You have already answered.")
        now = timezone.now()
        consent.answer = PlacementConsent.Answer.YES if agree else PlacementConsent.Answer.NO
        consent.answered_at = now
        consent.save(update_fields=["answer", "answered_at"])
        if not agree:
            _placement_end(locked, Placement.Status.NOT_AGREED, now)
        elif not locked.consents.exclude(answer=PlacementConsent.Answer.YES).exists():
            _placement_complete(locked, now)
    placement.refresh_from_db()
    return locked


def _placement_end(placement: Placement, status: str, now: dt.datetime) -> None:
    """Close a placement that will not happen; nobody is named, nobody is blamed."""
    placement.status = status
    placement.decided_at = now
    placement.save(update_fields=["status", "decided_at"])
    audit_record(
        action=AuditEvent.Action.PLACEMENT,
        target=placement.partnership,
        event=f"late_joiner_{status}",
        placement=placement.pk,
    )
    recipients = [placement.newcomer]
    if placement.placed_by is not None:
        recipients.append(placement.placed_by)
    for recipient in recipients:
        send_email_on_commit(
            to=[recipient.email],
            template="rounds/email/placement_not_agreed",
            context={
                "recipient": recipient,
                "cohort": placement.cohort,
                "is_newcomer": recipient.pk == placement.newcomer_id,
            },
        )


def _placement_complete(placement: Placement, now: dt.datetime) -> None:
    """Everyone agreed: the newcomer joins, seeing only what is written from now on."""
    partnership = Partnership.objects.select_for_update().get(pk=placement.partnership_id)
    cohort = placement.cohort
    newcomer = placement.newcomer
    busy = PartnershipMember.objects.filter(cohort=cohort, user=newcomer, is_current=True)
    if not partnership.is_live or busy.exists():
        _placement_end(placement, Placement.Status.CANCELLED, now)
        return
    PartnershipMember.objects.create(
        partnership=partnership,
        user=newcomer,
        cohort=cohort,
        joined_at=now,
        visible_since=now,
    )
    size = partnership.members.filter(is_current=True).count()
    partnership.kind = Partnership.Kind.TRIAD if size == 3 else Partnership.Kind.CIRCLE
    if partnership.status == Partnership.Status.PROPOSED:
        partnership.respond_by = max(
            partnership.respond_by or now, now + dt.timedelta(days=cohort.response_days)
        )
    partnership.save(update_fields=["kind", "respond_by"])
    placement.status = Placement.Status.AGREED
    placement.decided_at = now
    placement.save(update_fields=["status", "decided_at"])
    audit_record(
        action=AuditEvent.Action.PLACEMENT,
        actor=placement.placed_by,
        target=partnership,
        event="late_joiner_placed",
        placement=placement.pk,
        newcomer=newcomer.pk,
    )
    members = [m.user for m in partnership.members.filter(is_current=True).select_related("user")]
    proposal_emails(
        partnership=partnership,
        users=members,
        placement=placement,
        recipients=[newcomer],
    )
    for member in members:
        if member.pk == newcomer.pk:
            continue
        send_email_on_commit(
            to=[member.email],
            template="rounds/email/joiner_invited",
            context={"recipient": member, "cohort": cohort, "newcomer": newcomer.get_full_name()},
        )


# ---------------------------------------------------------------------- cohort settings
def cohort_match_settings_update(
    *,
    cohort: Cohort,
    weights: dict[str, float],
    response_days: int,
    allow_previous_partners: bool,
) -> Cohort:
    """Save how the cohort's runs score and how long people have to answer."""
    problems = Weights(**weights).problems()
    if problems:
        raise ValidationError("; ".join(problems))
    if not 1 <= response_days <= 60:
        raise ValidationError({"response_days": "Give between 1 and 60 days."})
    cohort.match_weights = weights
    cohort.response_days = response_days
    cohort.allow_previous_partners = allow_previous_partners
    cohort.save(update_fields=["match_weights", "response_days", "allow_previous_partners"])
    return cohort
