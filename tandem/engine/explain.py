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
_DETERMINERS = {"my", "our", "a", "an", "the", "this", "that", "these", "more", "better"}
# Words that end a goal phrase: its verb's subject, linking words and prepositions.
_BOUNDARY = {
    *_BEFORE_VERB,
    *("want", "wants", "hope", "hoping", "would", "like", "love", "need", "plan", "aim"),
    *("am", "is", "are", "be", "will", "can", "could", "should", "must", "so", "but"),
    *("on", "in", "for", "with", "by", "at", "of", "from", "about", "into", "this", "that"),
    *("as", "before", "after", "during", "within", "over", "next", "year", "years", "by"),
}
_REACH = 4
_PRONOUNS = {"my": "your", "i": "you", "me": "you", "mine": "yours", "myself": "yourselves"}


@functools.lru_cache(maxsize=65536)
def _words(sentence: str) -> list[str]:
    return re.findall(r"\w+(?:['-]\w+)*", sentence)


def _has(word: str, part: str) -> bool:
    """Whether a written word carries a term: "co-author" carries "author", "women's" "women"."""
    return word == part or part in re.split(r"[-']", word)


def _sentence_case(word: str, *, first: bool) -> str:
    # The first word of a goal is capitalised only because it began the sentence: "Publish".
    if first and word[:1].isupper() and word[1:] == word[1:].lower() and word != "I":
        return word.lower()
    return word


# Goals repeat across a cohort and each group says its theme three times (for a coordinator
# and for each member), so the same span is often asked for again.
@functools.lru_cache(maxsize=65536)
def _span(sentence: str, phrase: str, *, you: bool = True) -> tuple[str, bool] | None:
    """The whole words of ``sentence`` that carry ``phrase`` (stop words between kept), and
    whether the span follows "to", i.e. starts with a verb; pronouns are turned to the second
    person (or the third, for coordinators), and a sentence's opening capital is dropped."""
    words = _words(sentence)
    low = [w.lower() for w in words]
    parts = phrase.split(" ")
    for start, word in enumerate(low):
        if not _has(word, parts[0]):
            continue
        end, ok = start, True
        for part in parts[1:]:
            nxt = next(
                (k for k in range(end + 1, min(end + 5, len(low))) if _has(low[k], part)),
                None,
            )
            if nxt is None:
                ok = False
                break
            end = nxt
        if ok:
            return _widen(words, low, start, end, you=you)
    return None


def _widen(
    words: Sequence[str], low: Sequence[str], start: int, end: int, *, you: bool
) -> tuple[str, bool]:
    """Grow a matched span to the whole phrase around it, between linking words: "lead a
    quality improvement project", never "lead a quality"; the verb before it comes along."""
    matched = start
    while start > 0 and low[start - 1] not in _BOUNDARY and matched - start < _REACH:
        start -= 1
    while end + 1 < len(low) and low[end + 1] not in _BOUNDARY and end - matched < 2 * _REACH:
        end += 1
    if start > 0:
        verb_first = low[start - 1] in _BEFORE_VERB
    else:
        # A goal may open with its verb ("Strengthen my …") or its subject ("Grants are …").
        # A theme that is the goal's first word is its verb when an object or a second verb
        # follows ("Publish my …", "Write and publish …"), not when a verb does ("Grants are").
        first = low[0]
        opens_object = len(low) > 1 and low[1] in {*_DETERMINERS, "and", "or"}
        verb_first = (
            (start < matched or opens_object)
            and first not in _DETERMINERS
            and not first.endswith("ing")
        )
    return _say(words, start, end, you=you), verb_first


def _say(words: Sequence[str], start: int, end: int, *, you: bool) -> str:
    swap = _PRONOUNS if you else _THIRD_PERSON
    return " ".join(
        swap.get(w.lower(), _sentence_case(w, first=k == 0))
        for k, w in enumerate(words[start : end + 1], start=start)
    )


def _topics(cohort: Cohort, giver: int, taker: int) -> list[str]:
    p, q = cohort.participants[giver], cohort.participants[taker]
    return sorted(p.offers & q.seeks)


class _Voice:
    """Who a reason speaks to: a coordinator reads about everyone in the third person ("Both
    want to …", "Ana offers …"); a member reads about themself in the second ("You both …")."""

    def __init__(self, names: Sequence[str], reader: int | None) -> None:
        self.names = list(names)
        self.reader = reader
        self.size = len(names)

    @property
    def you(self) -> bool:
        return self.reader is not None

    def name(self, k: int) -> str:
        return "you" if k == self.reader else self.names[k]

    def subject(self, k: int) -> str:
        return "You" if k == self.reader else self.names[k]

    def verb(self, k: int, third: str, second: str) -> str:
        return second if k == self.reader else third

    def together(self, who: Sequence[int]) -> str:
        """The subject for some or all members doing a thing together, with its verb form
        left to the caller (always plural): "Both", "You both", "Ana and you both"."""
        who = sorted(who)
        many = "both" if len(who) == 2 else "all"
        if len(who) == self.size:
            return f"You {many}" if self.you else many.capitalize()
        if self.reader in who:
            others = [self.names[k] for k in who if k != self.reader]
            return f"You and {_join(others)} {many}"
        return f"{_join([self.names[k] for k in who])} {many}"


def reasons(
    cohort: Cohort,
    members: Sequence[int],
    components: dict[str, float],
    *,
    reader: int | None = None,
) -> list[str]:
    """Two or three sentences on why these people fit, strongest component first.

    ``reader`` is the cohort index of the member who reads them, in the second person; without
    one they are written for a coordinator, in the third. Goals are quoted in whole words, and
    no phrase is said twice in one list.
    """
    return _Facts(cohort, members, components).say(reader)


def member_reasons(
    cohort: Cohort, members: Sequence[int], components: dict[str, float]
) -> dict[str, list[str]]:
    """The reasons as each member reads them, by member id."""
    facts = _Facts(cohort, members, components)
    return {cohort.ids[m]: facts.say(m) for m in members}


def group_reasons(
    cohort: Cohort, members: Sequence[int], components: dict[str, float]
) -> tuple[list[str], dict[str, list[str]]]:
    """``reasons`` and ``member_reasons`` together, finding what the group shares only once."""
    facts = _Facts(cohort, members, components)
    return facts.say(None), {cohort.ids[m]: facts.say(m) for m in members}


class _Facts:
    """What a group shares (goal themes, help given, stages, specialties, free time), found
    once and then put into words for a coordinator and for each member."""

    def __init__(
        self, cohort: Cohort, members: Sequence[int], components: dict[str, float]
    ) -> None:
        self.members = members = list(members)
        self.people = people = [cohort.participants[m] for m in members]
        self.components = components

        themes: dict[str, set[int]] = {}
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                for theme in cohort.shared_themes(members[x], members[y]):
                    themes.setdefault(theme, set()).update((x, y))
        self.top = ""
        self.sharing: list[int] = []
        if themes:
            self.top = sorted(themes, key=lambda t: (-len(themes[t]), -(" " in t), t))[0]
            self.sharing = sorted(themes[self.top])

        links: list[tuple[int, int, list[str]]] = []
        for x, giver in enumerate(members):
            for y, taker in enumerate(members):
                if x != y and (given := _topics(cohort, giver, taker)):
                    links.append((x, y, given))
        # Name different givers first, so a circle's reasons show several people contributing.
        seen_givers: set[int] = set()
        by_giver = []
        for link in links:
            if link[0] not in seen_givers:
                seen_givers.add(link[0])
                by_giver.append(link)
        self.links = by_giver + [link for link in links if link not in by_giver]

        labels = sorted(
            {_stage_label(cohort, m) for m in members},
            key=lambda lab: cohort.config.ladder.index(lab) if lab in cohort.config.ladder else 0,
        )
        # Without a subject: "both"/"all" belongs to the goal sentence alone, never said twice.
        if len(labels) == 1:
            self.stage = f"Same career stage ({labels[0]})"
        else:
            self.stage = f"Close in career stage ({_join(labels)})"

        self.specialties = [p.specialty for p in people]
        self.wanted_diff = [
            k for k, p in enumerate(people) if p.specialty_preference == "different"
        ]
        self.wanted_same = [k for k, p in enumerate(people) if p.specialty_preference == "same"]
        self.distinct = {s.strip().lower() for s in self.specialties if s.strip()}

        self.availability = ""
        slots = set.intersection(*(set(p.availability) for p in people)) if people else set()
        shared_time = functools.reduce(operator.and_, (p.free_mask or 0 for p in people), -1)
        usual = mask_words(max(shared_time, 0), cohort.config.slot_minutes)
        free = "Free together"
        if usual is not None:
            weeks = cohort.config.free_weeks
            self.availability = f"{free} on {usual[0]} in {usual[1]} of the next {weeks} weeks"
        elif slots and all(p.free_mask is None for p in people):
            when = _join([slot_words(slot) for slot in slots_in_order(slots)[:3]])
            self.availability = f"{free} on {when}"
        self.weights = cohort.weight

    def say(self, reader: int | None) -> list[str]:
        """The sentences for ``reader`` (a member's cohort index) or, with None, a coordinator."""
        members, people, components = self.members, self.people, self.components
        voice = _Voice(
            [p.display_name for p in people],
            members.index(reader) if reader is not None and reader in members else None,
        )
        found: dict[str, str] = {}
        if self.top:
            who = voice.together(self.sharing)
            # The reader's own words first, so "your" refers to what they wrote.
            order = sorted(self.sharing, key=lambda k: k != voice.reader)
            hit = next(
                (h for k in order if (h := _span(people[k].main_thing, self.top, you=voice.you))),
                None,
            )
            if hit is not None:
                span, verb_first = hit
                found["goals"] = (
                    f"{who} want to {span}" if verb_first else f"{who} want to work on {span}"
                )
            else:
                found["goals"] = f"{who} name “{self.top}” in their main thing"

        links = self.links
        if links:
            x, y, given = links[0]
            first = (
                f"{voice.subject(x)} {voice.verb(x, 'offers', 'offer')} the "
                f"{_join(given[:2])} mentoring {voice.name(y)} {voice.verb(y, 'seeks', 'seek')}"
            )
            back = next((g for gx, gy, g in links[1:] if gx == y and gy == x), None)
            if len(members) == 2 and back is not None:
                found["reciprocity"] = (
                    f"{first}, and {voice.name(y)} {voice.verb(y, 'offers', 'offer')} "
                    f"{_join(back[:2])} in return"
                )
            elif len(links) > 1:
                x2, y2, given2 = links[1]
                found["reciprocity"] = (
                    f"{first}; {voice.name(x2)} can help {voice.name(y2)} with {_join(given2[:2])}"
                )
            else:
                found["reciprocity"] = first

        found["stage"] = self.stage

        specialties = self.specialties
        if self.wanted_diff and len(self.distinct) == len(members):
            found["specialty"] = (
                f"Different specialties ({_join(sorted(set(specialties)))}) for a "
                f"fresh perspective, as {_asked(voice, self.wanted_diff)} asked"
            )
        elif self.wanted_same and len(self.distinct) == 1:
            found["specialty"] = (
                f"One specialty ({specialties[0]}), as {_asked(voice, self.wanted_same)} asked"
            )

        if self.availability:
            found["availability"] = self.availability

        weights = self.weights
        ranked = sorted(found, key=lambda c: -weights[c] * components.get(c, 0.0))
        chosen = [found[c] for c in ranked if components.get(c, 0.0) > 0 or c == "stage"][:3]
        return chosen


def _asked(voice: _Voice, who: Sequence[int]) -> str:
    """Who asked for something: "Ana", "you", "you both", "you and Ben"."""
    who = list(who)
    if voice.reader in who:
        if len(who) == voice.size and len(who) > 1:
            return "you both" if len(who) == 2 else "you all"
        return _join(["you", *[voice.names[k] for k in who if k != voice.reader]])
    return _join([voice.names[k] for k in who])


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
