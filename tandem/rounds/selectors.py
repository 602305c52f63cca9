"""Reads for match rounds: the engine's input for a cohort, runs, the rematch pool, comparisons.

``participants_for_matching`` is the one place that decides who a cohort's run matches and
which pairs it must keep apart; every run, re-run, pool run and placement goes through it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.hooks import hook_answers
from tandem.core.standing import departed
from tandem.engine import ForbiddenPair, MatchConfig, Participant, Weights
from tandem.engine.defaults import COMPONENTS, DEFAULT_WEIGHTS
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Enrollment, Exclusion, Profile
from tandem.rounds.models import MatchGroup, MatchRun, Placement, PlacementConsent

# Above this many people a run goes to the background worker; below it finishes in the request.
INLINE_LIMIT = 300


def inline_limit() -> int:
    return int(getattr(settings, "MATCH_INLINE_LIMIT", INLINE_LIMIT))


@dataclass
class MatchingInput:
    """The engine's input for one cohort, and who was left out before matching and why."""

    participants: list[Participant]
    forbidden: list[ForbiddenPair]
    left_out: list[tuple[User, str]] = field(default_factory=list)


def participants_for_matching(cohort: Cohort) -> MatchingInput:
    """Who a run over ``cohort`` matches now, and the pairs it must never put together.

    Everyone actively enrolled whose profile names a stage on the program's ladder and who is
    not already in a live (proposed or active) partnership of this cohort. Forbidden: evaluator
    lines and blocked pairs from the program's exclusions, and people who were partners in an
    earlier cohort of the program (the engine drops those when the cohort allows them).
    People randomised to the waitlist arm of the cohort's study, and people recorded as having
    left the program or the institution, are left out, with that reason.
    """
    program = cohort.program
    live = PartnershipMember.objects.filter(cohort=cohort, is_current=True).values("user_id")
    enrollments = (
        Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ACTIVE)
        .exclude(user_id__in=live)
        .select_related("user")
        .order_by("user_id")
    )
    profiles = {
        p.user_id: p for p in Profile.objects.filter(program=program).select_related("user")
    }
    participants: list[Participant] = []
    left_out: list[tuple[User, str]] = []
    # A randomised study (research, an app above this one) may hold some people back.
    waitlisted: set[int] = set().union(*hook_answers("matching.waitlisted", cohort=cohort))
    gone = departed(program, [e.user_id for e in enrollments], today=timezone.localdate())
    for enrollment in enrollments:
        if enrollment.user_id in gone:
            left_out.append((enrollment.user, gone[enrollment.user_id]))
            continue
        if enrollment.user_id in waitlisted:
            left_out.append((enrollment.user, "in the study's waitlist arm, matched after it"))
            continue
        profile = profiles.get(enrollment.user_id)
        stage = program.stage_index(profile.stage) if profile and profile.stage else None
        if profile is None or stage is None:
            left_out.append((enrollment.user, "no career stage on the program's ladder yet"))
            continue
        participants.append(participant_from_profile(profile, stage))
    # Real free time from schedules, where another app provides it (see tandem.core.hooks).
    for masks in hook_answers(
        "matching.free_masks", cohort=cohort, user_ids=[int(p.id) for p in participants]
    ):
        participants = [
            replace(p, free_mask=masks[int(p.id)]) if int(p.id) in masks else p
            for p in participants
        ]
    forbidden = forbidden_pairs(cohort, {int(p.id) for p in participants})
    return MatchingInput(participants=participants, forbidden=forbidden, left_out=left_out)


def forbidden_pairs(cohort: Cohort, ids: set[int]) -> list[ForbiddenPair]:
    """Exclusions among ``ids`` and their previous partners from earlier cohorts."""
    forbidden = [
        ForbiddenPair(str(a), str(b), kind=reason)
        for a, b, reason in Exclusion.objects.filter(
            program=cohort.program, person_id__in=ids, other_id__in=ids
        ).values_list("person_id", "other_id", "reason")
    ]
    forbidden += [
        ForbiddenPair(str(a), str(b), kind="previous_partner")
        for a, b in sorted(previous_partner_pairs(cohort, ids))
    ]
    return forbidden


def participant_from_profile(profile: Profile, stage: int) -> Participant:
    return Participant(
        id=str(profile.user_id),
        stage=stage,
        specialty=profile.specialty,
        offers=frozenset(profile.offers or []),
        seeks=frozenset(profile.seeks or []),
        main_thing=profile.main_thing,
        specialty_preference=profile.specialty_preference,
        availability=frozenset(profile.availability or []),
        name=profile.user.display_name,
    )


def previous_partner_pairs(cohort: Cohort, ids: set[int]) -> set[tuple[int, int]]:
    """Pairs of ``ids`` who shared a partnership that became active in another of its cohorts."""
    rows = (
        PartnershipMember.objects.filter(
            partnership__cohort__program=cohort.program,
            partnership__activated_at__isnull=False,
            user_id__in=ids,
        )
        .exclude(partnership__cohort=cohort)
        .values_list("partnership_id", "user_id")
    )
    by_partnership: dict[int, list[int]] = defaultdict(list)
    for partnership_id, user_id in rows:
        by_partnership[partnership_id].append(user_id)
    pairs: set[tuple[int, int]] = set()
    for members in by_partnership.values():
        for a in members:
            for b in members:
                if a < b:
                    pairs.add((a, b))
    return pairs


def engine_config(run: MatchRun) -> MatchConfig:
    weights = {name: float(run.weights.get(name, DEFAULT_WEIGHTS[name])) for name in COMPONENTS}
    program = run.cohort.program
    extra: dict[str, Any] = {}
    # An unsaved cohort (a run rebuilt outside the database, as the crash tests do) has no
    # schedule rules to ask for.
    if run.cohort.pk is not None:
        for answer in hook_answers("matching.config", cohort=run.cohort):
            extra.update(answer)
    return MatchConfig(
        mode=run.mode,
        weights=Weights(**weights),
        max_stage_gap=program.max_stage_gap,
        allow_previous_partners=run.allow_previous_partners,
        seed=run.seed,
        ladder=tuple(program.ladder),
        mutual_objective=run.mutual_objective,
        **extra,
    )


def runs_for_cohort(cohort: Cohort) -> QuerySet[MatchRun]:
    return MatchRun.objects.filter(cohort=cohort).select_related("created_by")


def people_of_run(run: MatchRun) -> dict[int, dict[str, Any]]:
    """Each person in the run by user id: name and the profile fields the engine used."""
    users = {u.pk: u for u in User.objects.filter(pk__in=[int(p["id"]) for p in run.participants])}
    ladder = run.cohort.program.ladder
    people: dict[int, dict[str, Any]] = {}
    for row in run.participants:
        user_id = int(row["id"])
        user = users.get(user_id)
        stage = row["stage"]
        people[user_id] = {
            "id": user_id,
            "name": user.get_full_name() if user else f"#{user_id}",
            "stage": ladder[stage] if 0 <= stage < len(ladder) else str(stage),
            "specialty": row.get("specialty", ""),
        }
    # Two people with the same name: each also shows their e-mail, so the coordinator can tell
    # them apart when reviewing, moving or forbidding.
    seen = Counter(person["name"] for person in people.values())
    for user_id, person in people.items():
        user = users.get(user_id)
        if user is not None and seen[person["name"]] > 1:
            person["name"] = f"{person['name']} ({user.email})"
    return people


def run_groups(run: MatchRun) -> list[dict[str, Any]]:
    """The run's groups ready for the review page, members named."""
    people = people_of_run(run)
    rows = []
    for group in run.groups.all():
        rows.append(
            {
                "group": group,
                "members": [people.get(m, {"id": m, "name": f"#{m}"}) for m in group.member_ids],
                "components": sorted(group.components.items(), key=lambda kv: -kv[1]),
            }
        )
    return rows


def partner_sets(run: MatchRun) -> dict[int, frozenset[int]]:
    partners: dict[int, frozenset[int]] = {}
    for group in run.groups.all():
        for member in group.member_ids:
            partners[member] = frozenset(set(group.member_ids) - {member})
    return partners


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def runs_compare(first: MatchRun, second: MatchRun) -> dict[str, Any]:
    """Side-by-side figures of two runs and how many people would get a different partner."""
    a, b = partner_sets(first), partner_sets(second)
    everyone = set(a) | set(b)
    changed = sum(1 for person in everyone if a.get(person) != b.get(person))
    return {
        "rows": [
            (label, _figure(first.metrics.get(key)), _figure(second.metrics.get(key)))
            for key, label in (
                ("total", "Total score"),
                ("mean", "Mean group score"),
                ("min", "Lowest group score"),
            )
        ]
        + [
            (
                "Share of people placed",
                f"{first.metrics.get('coverage', 0):.0%}",
                f"{second.metrics.get('coverage', 0):.0%}",
            ),
            ("Groups", str(first.groups.count()), str(second.groups.count())),
        ],
        "changed": changed,
        "people": len(everyone),
    }


@dataclass
class PoolEntry:
    user: User
    reason: str
    priority: bool


def rematch_pool(cohort: Cohort) -> list[PoolEntry]:
    """Enrolled people of the cohort who are in no live partnership, priority first.

    Everyone whose proposal was not taken up (declined or expired), and both members of a
    partnership ended by a no-fault rematch, come back with priority; the coordinator is never
    told who declined or who asked. A cohort that has ended has no pool, and
    people recorded as having left are not in it.
    """
    if cohort.ends_on < timezone.localdate():
        return []
    live = PartnershipMember.objects.filter(cohort=cohort, is_current=True).values("user_id")
    enrollments = (
        Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.ACTIVE)
        .exclude(user_id__in=live)
        .select_related("user")
    )
    last_status: dict[int, str] = {}
    last_partnership: dict[int, int] = {}
    for user_id, partnership_id, status in (
        PartnershipMember.objects.filter(cohort=cohort)
        .order_by("joined_at", "pk")
        .values_list("user_id", "partnership_id", "partnership__status")
    ):
        last_status[user_id] = status
        last_partnership[user_id] = partnership_id
    # Partnerships ended by a no-fault rematch (answered by the engagement app, if installed).
    rematched: set[int] = set().union(
        *hook_answers("rematch.no_fault", partnership_ids=set(last_partnership.values()))
    )
    gone = departed(cohort.program, [e.user_id for e in enrollments], today=timezone.localdate())
    entries = []
    for enrollment in enrollments:
        if enrollment.user_id in gone:
            continue
        last = last_status.get(enrollment.user_id)
        if last == Partnership.Status.DECLINED:
            entry = PoolEntry(enrollment.user, "proposal not taken up", True)
        elif last_partnership.get(enrollment.user_id) in rematched:
            entry = PoolEntry(enrollment.user, "no-fault rematch", True)
        elif last in (Partnership.Status.EXITED, Partnership.Status.CLOSED):
            entry = PoolEntry(enrollment.user, "partnership ended", False)
        elif cohort.partnerships.exists():
            entry = PoolEntry(enrollment.user, "joined after the match", False)
        else:
            entry = PoolEntry(enrollment.user, "not matched yet", False)
        entries.append(entry)
    entries.sort(key=lambda e: (not e.priority, e.user.display_name))
    return entries


def proposals_for_user(user: User) -> QuerySet[Partnership]:
    """Partnerships waiting for this person's answer."""
    return (
        Partnership.objects.filter(
            members__user=user,
            members__is_current=True,
            members__response=PartnershipMember.Response.PENDING,
            status__in=Partnership.LIVE_STATUSES,
        )
        .select_related("cohort__program")
        .distinct()
    )


def proposal_details(partnership: Partnership, user: User) -> dict[str, Any]:
    """What a member may see of a proposal: partners' shared profile fields and the reasons."""
    members = list(
        partnership.members.filter(is_current=True).select_related("user").order_by("user_id")
    )
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(
            program=partnership.cohort.program, user_id__in=[m.user_id for m in members]
        )
    }
    partners = [
        {"user": m.user, "profile": profiles.get(m.user_id), "response": m.response}
        for m in members
        if m.user_id != user.pk
    ]
    me = next((m for m in members if m.user_id == user.pk), None)
    group = MatchGroup.objects.filter(partnership=partnership).first()
    expired = bool(partnership.respond_by and partnership.respond_by < timezone.now())
    return {
        "partnership": partnership,
        "partners": partners,
        "reasons": group.reasons_for(user.pk) if group else [],
        "me": me,
        "can_answer": bool(me and me.response == PartnershipMember.Response.PENDING and not expired)
        and partnership.is_live,
    }


# ------------------------------------------------------------------ publishing safely
@dataclass(frozen=True)
class Flag:
    name: str
    reason: str


@dataclass
class PublishCheck:
    """What publishing a run is about to do, and what a coordinator should look at first."""

    groups: int
    people: int
    triads: int
    warned_groups: list[tuple[int, list[str]]]
    flags: list[Flag]
    emails: int
    reviewed: bool
    respond_days: int


def publish_check(run: MatchRun) -> PublishCheck:
    """Groups, warnings, the people to look at again and the e-mails publishing sends.

    Flagged: people recorded as having left, without an e-mail address, whose enrolment was
    withdrawn, who were placed elsewhere in the cohort, or whose profile changed after the run.
    """
    groups = list(run.groups.all())
    member_ids = [m for group in groups for m in group.member_ids]
    users = {u.pk: u for u in User.objects.filter(pk__in=member_ids)}
    profiles = {
        p.user_id: p for p in Profile.objects.filter(program=run.cohort.program, user__in=users)
    }
    active = set(
        Enrollment.objects.filter(
            cohort=run.cohort, user__in=users, status=Enrollment.Status.ACTIVE
        ).values_list("user_id", flat=True)
    )
    placed = set(
        PartnershipMember.objects.filter(
            cohort=run.cohort, user__in=users, is_current=True
        ).values_list("user_id", flat=True)
    )
    gone = departed(run.cohort.program, users, today=timezone.localdate())
    flags: list[Flag] = []
    for user_id in member_ids:
        user = users.get(user_id)
        if user is None:
            continue
        name = user.get_full_name()
        profile = profiles.get(user_id)
        if user_id in gone:
            flags.append(Flag(name, f"has {gone[user_id]}"))
        if not user.email:
            flags.append(Flag(name, "has no e-mail address: they will not hear of their match"))
        if user_id not in active:
            flags.append(Flag(name, "is no longer enrolled in the cohort"))
        if user_id in placed:
            flags.append(Flag(name, "is already in a partnership of the cohort"))
        if profile is not None and profile.updated_at > run.created_at:
            flags.append(Flag(name, "changed their profile after this run was made"))
    return PublishCheck(
        groups=len(groups),
        people=len(member_ids),
        triads=sum(1 for group in groups if len(group.member_ids) == 3),
        warned_groups=[
            (position, list(group.warnings))
            for position, group in enumerate(groups, start=1)
            if group.warnings
        ],
        flags=flags,
        emails=sum(1 for user_id in member_ids if users.get(user_id) and users[user_id].email),
        reviewed=run.status == MatchRun.Status.REVIEWED,
        respond_days=run.cohort.response_days,
    )


def answers_by_group(run: MatchRun) -> dict[int, dict[str, int]]:
    """Per published group: how many accepted, declined and are still to answer (no names)."""
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {"accepted": 0, "declined": 0, "waiting": 0}
    )
    for group_id, response in PartnershipMember.objects.filter(
        partnership__match_group__run=run
    ).values_list("partnership__match_group__pk", "response"):
        words: dict[str, str] = {
            PartnershipMember.Response.ACCEPTED: "accepted",
            PartnershipMember.Response.DECLINED: "declined",
        }
        counts[group_id][words.get(response, "waiting")] += 1
    return dict(counts)


def superseded_by(run: MatchRun) -> MatchRun | None:
    """The published run of the cohort that came after this unpublished one, if any."""
    if run.status == MatchRun.Status.PUBLISHED:
        return None
    return (
        MatchRun.objects.filter(
            cohort_id=run.cohort_id,
            status=MatchRun.Status.PUBLISHED,
            published_at__gte=run.created_at,
        )
        .order_by("published_at")
        .first()
    )


def placement_consents_for(user: User) -> QuerySet[PlacementConsent]:
    """Placements this person is asked about and has not answered yet."""
    return PlacementConsent.objects.filter(
        member=user,
        answer=PlacementConsent.Answer.PENDING,
        placement__status=Placement.Status.ASKING,
        placement__partnership__members__user=user,
        placement__partnership__members__is_current=True,
    ).select_related("placement__newcomer", "placement__partnership__cohort")


def placement_details(consent: PlacementConsent) -> dict[str, Any]:
    """What an asked member may see: the newcomer's shared profile fields and the reasons."""
    placement = consent.placement
    profile = Profile.objects.filter(
        program=placement.partnership.cohort.program, user=placement.newcomer
    ).first()
    return {
        "consent": consent,
        "placement": placement,
        "newcomer": placement.newcomer,
        "profile": profile,
        "reasons": placement.reasons_for(consent.member_id),
        "can_answer": consent.answer == PlacementConsent.Answer.PENDING,
    }
