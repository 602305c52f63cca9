"""Group scores and the plain-language reasons and warnings shown to coordinators.

Reasons name the concrete overlap behind the strongest score components, so a coordinator can
check a suggestion at a glance instead of trusting a number.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Sequence

import numpy as np

from tandem.engine.availability import mask_words
from tandem.engine.defaults import COMPONENTS
from tandem.engine.feasibility import KIND_WORDS, Feasibility
from tandem.engine.model import GroupScore
from tandem.engine.roster import slot_words, slots_in_order
from tandem.engine.scoring import Cohort


def group_score(cohort: Cohort, feas: Feasibility, members: Sequence[int]) -> GroupScore:
    """Mean score and mean components over all pairs inside the group, plus broken rules."""
    return score_groups(cohort, feas, [list(members)])[0]


def score_groups(
    cohort: Cohort, feas: Feasibility, groups: Sequence[Sequence[int]]
) -> list[GroupScore]:
    """Scores of many groups in one vectorised pass over all their inside pairs."""
    owner: list[int] = []
    first: list[int] = []
    second: list[int] = []
    for k, members in enumerate(groups):
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                owner.append(k)
                first.append(members[x])
                second.append(members[y])
    i = np.array(first, dtype=np.int64)
    j = np.array(second, dtype=np.int64)
    own = np.array(owner, dtype=np.int64)
    comps = cohort.components(i, j) if len(i) else {c: np.zeros(0) for c in COMPONENTS}
    totals = cohort.total(comps) if len(i) else np.zeros(0)
    count = np.bincount(own, minlength=len(groups)).astype(np.float64)
    safe = np.maximum(count, 1.0)
    mean_total = np.bincount(own, weights=totals, minlength=len(groups)) / safe
    mean_comp = {
        c: np.bincount(own, weights=comps[c], minlength=len(groups)) / safe for c in COMPONENTS
    }
    bad = np.flatnonzero(~feas.feasible(i, j)) if len(i) else np.zeros(0, dtype=np.int64)
    violations: dict[int, list[str]] = {}
    for e in bad.tolist():
        why = feas.why_not(int(i[e]), int(j[e]), cohort.config.ladder, cohort.names)
        violations.setdefault(int(own[e]), []).append(why or "not allowed")
    ids = cohort.ids
    pair_scores: list[dict[tuple[str, str], float]] = [{} for _ in groups]
    for k, x, y, s in zip(own.tolist(), first, second, totals.tolist(), strict=True):
        pair_scores[k][(ids[x], ids[y])] = float(s)
    out = []
    for k, members in enumerate(groups):
        problems = violations.get(k, [])
        if len(members) < 2:
            problems = ["a group needs two people", *problems]
        out.append(
            GroupScore(
                score=float(mean_total[k]),
                components={c: float(mean_comp[c][k]) for c in COMPONENTS},
                pair_scores=pair_scores[k],
                violations=problems,
            )
        )
    return out


def _join(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _stage_label(cohort: Cohort, i: int) -> str:
    ladder = cohort.config.ladder
    s = int(cohort.stage[i])
    return ladder[s] if 0 <= s < len(ladder) else f"stage {s}"


# Words after which a goal phrase starts with a verb: "to publish", "and win", "while I lead".
_BEFORE_VERB = {"to", "i", "we", "and", "or", "while", "also", "then"}
_THIRD_PERSON = {"my": "their", "i": "they", "me": "them", "mine": "theirs", "myself": "themselves"}
_PRONOUNS = {"my": "your", "i": "you", "me": "you", "mine": "yours", "myself": "yourselves"}


@functools.lru_cache(maxsize=65536)
def _words(sentence: str) -> list[str]:
    return re.findall(r"\w+(?:['-]\w+)*", sentence)


def _span(sentence: str, phrase: str, *, you: bool = True) -> tuple[str, bool] | None:
    """The words of ``sentence`` that carry ``phrase`` (stop words between kept), and whether
    the span follows "to", i.e. starts with a verb; pronouns are turned to the second person."""
    words = _words(sentence)
    low = [w.lower() for w in words]
    parts = phrase.split(" ")
    for start, word in enumerate(low):
        if word != parts[0] and not word.startswith(parts[0] + "-"):
            continue
        end, ok = start, True
        for part in parts[1:]:
            nxt = next(
                (
                    k
                    for k in range(end + 1, min(end + 5, len(low)))
                    if low[k] == part or part in re.split(r"[-']", low[k])
                ),
                None,
            )
            if nxt is None:
                ok = False
                break
            end = nxt
        if ok:
            swap = _PRONOUNS if you else _THIRD_PERSON
            text = " ".join(swap.get(w.lower(), w) for w in words[start : end + 1])
            return text, start > 0 and low[start - 1] in _BEFORE_VERB
    return None


def _topics(cohort: Cohort, giver: int, taker: int) -> list[str]:
    p, q = cohort.participants[giver], cohort.participants[taker]
    return sorted(p.offers & q.seeks)


def reasons(cohort: Cohort, members: Sequence[int], components: dict[str, float]) -> list[str]:
    """Two or three sentences on why these people fit, strongest component first."""
    members = list(members)
    people = [cohort.participants[m] for m in members]
    names = [p.display_name for p in people]
    found: dict[str, str] = {}

    themes: dict[str, set[int]] = {}
    for x in range(len(members)):
        for y in range(x + 1, len(members)):
            for theme in cohort.shared_themes(members[x], members[y]):
                themes.setdefault(theme, set()).update((x, y))
    if themes:
        top = sorted(themes, key=lambda t: (-len(themes[t]), -(" " in t), t))[0]
        sharing = sorted(themes[top])
        if len(sharing) == len(members):
            who = "You both" if len(members) == 2 else "You all"
        else:
            who = f"{_join([names[k] for k in sharing])} {'both' if len(sharing) == 2 else 'all'}"
        span, verb_first = top, False
        for k in sharing:
            hit = _span(people[k].main_thing, top, you=who.startswith("You"))
            if hit:
                span, verb_first = hit
                break
        found["goals"] = f"{who} want to {span}" if verb_first else f"{who} want to work on {span}"

    links: list[str] = []
    for x, giver in enumerate(members):
        for y, taker in enumerate(members):
            if x != y:
                given = _topics(cohort, giver, taker)
                if given:
                    links.append(
                        f"{names[x]} offers the {_join(given[:2])} mentoring {names[y]} seeks"
                    )
    # Name different givers first, so a circle's reasons show several people contributing.
    seen_givers: set[str] = set()
    by_giver: list[str] = []
    for link in links:
        giver_name = link.split(" offers ", 1)[0]
        if giver_name not in seen_givers:
            seen_givers.add(giver_name)
            by_giver.append(link)
    links = by_giver + [link for link in links if link not in by_giver]
    if links:
        if len(members) == 2 and len(links) == 2:
            first = _topics(cohort, members[1], members[0])
            found["reciprocity"] = f"{links[0]}, and {names[1]} offers {_join(first[:2])} in return"
        else:
            found["reciprocity"] = "; ".join(links[:2])

    labels = sorted(
        {_stage_label(cohort, m) for m in members},
        key=lambda lab: cohort.config.ladder.index(lab) if lab in cohort.config.ladder else 0,
    )
    if len(labels) == 1:
        found["stage"] = f"{'Both' if len(members) == 2 else 'All'} at the same stage ({labels[0]})"
    else:
        found["stage"] = f"Close in career stage ({_join(labels)})"

    specialties = [p.specialty for p in people]
    wanted_diff = [names[k] for k, p in enumerate(people) if p.specialty_preference == "different"]
    wanted_same = [names[k] for k, p in enumerate(people) if p.specialty_preference == "same"]
    distinct = {s.strip().lower() for s in specialties if s.strip()}
    if wanted_diff and len(distinct) == len(members):
        found["specialty"] = (
            f"Different specialties ({_join(sorted(set(specialties)))}) for a "
            f"fresh perspective, as {_join(wanted_diff)} asked"
        )
    elif wanted_same and len(distinct) == 1:
        found["specialty"] = f"Same specialty ({specialties[0]}), as {_join(wanted_same)} asked"

    slots = set.intersection(*(set(p.availability) for p in people)) if people else set()
    shared_time = functools.reduce(operator.and_, (p.free_mask or 0 for p in people), -1)
    usual = mask_words(max(shared_time, 0), cohort.config.slot_minutes)
    if usual is not None:
        who = "All" if len(members) > 2 else "Both"
        weeks = cohort.config.free_weeks
        found["availability"] = f"{who} free on {usual[0]} in {usual[1]} of the next {weeks} weeks"
    elif slots and all(p.free_mask is None for p in people):
        when = _join([slot_words(slot) for slot in slots_in_order(slots)[:3]])
        found["availability"] = f"{'All' if len(members) > 2 else 'Both'} free on {when}"

    weights = cohort.weight
    ranked = sorted(found, key=lambda c: -weights[c] * components.get(c, 0.0))
    chosen = [found[c] for c in ranked if components.get(c, 0.0) > 0 or c == "stage"][:3]
    return chosen


def warnings(
    cohort: Cohort, members: Sequence[int], score: float, *, attached: int | None, attach_why: str
) -> list[str]:
    out: list[str] = []
    if score < cohort.config.low_score_warning:
        out.append(
            f"Low score ({score:.1f} < {cohort.config.low_score_warning:g}): worth a "
            f"coordinator's look before confirming"
        )
    if attached is not None:
        name = cohort.participants[attached].display_name
        out.append(f"Triad: {name} joined this pair because {attach_why}")
    return out


def unmatched_reason(cohort: Cohort, feas: Feasibility, i: int, *, circles: bool) -> str:
    """Why person i ended up without a group, naming the rule that left no one."""
    others = np.flatnonzero(np.abs(cohort.stage - cohort.stage[i]) <= feas.max_gap)
    others = others[others != i]
    label = _stage_label(cohort, i)
    gap = feas.max_gap
    if len(others) == 0:
        return (
            f"No one else is within {gap} stage{'s' if gap != 1 else ''} of {label}; "
            f"widen max_stage_gap or match them by hand"
        )
    mine = np.full(len(others), i)
    short = feas.too_little_time(mine, others) & ~feas.forbidden(mine, others)
    if short.any() and short.sum() + feas.forbidden(mine, others).sum() == len(others):
        return (
            f"Everyone within {gap} stage{'s' if gap != 1 else ''} of {label} who is not "
            f"excluded is free at the same time for less than the cohort's minimum of "
            f"{feas.min_minutes} minutes a month"
        )
    blocked = others[feas.forbidden(mine, others)]
    if len(blocked) == len(others):
        kinds: dict[str, int] = {}
        for j in blocked.tolist():
            hit = feas.kind_of(i, j)
            kind = hit[0] if hit else "blocked"
            kinds[kind] = kinds.get(kind, 0) + 1
        parts = [f"{count} x {KIND_WORDS.get(kind, kind)}" for kind, count in sorted(kinds.items())]
        return (
            f"Everyone within {gap} stage{'s' if gap != 1 else ''} of {label} is excluded "
            f"({'; '.join(parts)})"
        )
    free = len(others) - len(blocked)
    if circles:
        return (
            f"{free} compatible peer{'s' if free != 1 else ''}, but no circle could take them "
            f"without breaking a hard constraint or the group size limits"
        )
    return (
        f"{free} compatible peer{'s' if free != 1 else ''}, but each is already in a pair "
        f"whose other member conflicts with them, so no safe pair or triad was left"
    )
