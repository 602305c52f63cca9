"""One matching run from participants to explained groups, in pairs, circles or mutual mode.

``run_match`` validates the input, scores candidates, solves, attaches leftovers as triads,
explains every group and measures the result against a proven upper bound.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy.optimize import linear_sum_assignment
from threadpoolctl import threadpool_limits

from tandem.engine.candidates import CandidateGraph, build_candidates
from tandem.engine.circles import form_circles
from tandem.engine.explain import (
    group_reasons,
    group_score,
    score_groups,
    unmatched_reason,
    warnings,
)
from tandem.engine.feasibility import Feasibility, check_locks
from tandem.engine.matching import (
    _LP,
    _fractional_lp,
    auction_available,
    augment_exposed,
    max_weight_matching,
)
from tandem.engine.model import (
    SPECIALTY_PREFERENCES,
    Constraints,
    Group,
    GroupScore,
    MatchConfig,
    MatchInputError,
    MatchResult,
    Metrics,
    Participant,
    Unmatched,
)
from tandem.engine.roommates import (
    _mutual_lists,
    blocking_pairs,
    fewest_blocking,
    stable_roommates,
)
from tandem.engine.scoring import SCORE_SCALE, Cohort

Progress = Callable[[str, float], None]

# Partners per person kept for the pairs bound, beyond the solver's own lists.
BOUND_K = 30
# Largest pool whose bound re-solves the matching LP over those longer lists with the exact
# assignment; the compiled auction has no such limit.
BOUND_LP_LIMIT = 100_000


def _validate(participants: Sequence[Participant], config: MatchConfig) -> None:
    problems = list(config.problems())
    seen: set[str] = set()
    for p in participants:
        if not p.id:
            problems.append("a participant has an empty id")
        elif p.id in seen:
            problems.append(f"participant id {p.id!r} appears twice")
        seen.add(p.id)
        if p.stage < 0:
            problems.append(f"participant {p.id!r} has a negative stage")
        if p.specialty_preference not in SPECIALTY_PREFERENCES:
            problems.append(
                f"participant {p.id!r} has specialty_preference "
                f"{p.specialty_preference!r}; use same, different or any"
            )
    if problems:
        raise MatchInputError(problems)


def score_group(
    participants: Sequence[Participant],
    members: Sequence[str],
    config: MatchConfig,
    constraints: Constraints | None = None,
) -> GroupScore:
    """Score one proposed group at once, e.g. after a coordinator moves someone by hand.

    Scores are comparable with a full run's only when ``participants`` is the same cohort,
    because goal similarity weighs words by how rare they are in the cohort.
    """
    _validate(participants, config)
    cohort = Cohort(participants, config)
    feas = Feasibility(participants, config, constraints or Constraints(), cohort.index)
    missing = [m for m in members if m not in cohort.index]
    if missing:
        raise MatchInputError([f"{m!r} is not a participant" for m in missing])
    return group_score(cohort, feas, [cohort.index[m] for m in members])


def run_match(
    participants: Sequence[Participant],
    config: MatchConfig,
    constraints: Constraints | None = None,
    *,
    progress: Progress | None = None,
) -> MatchResult:
    """Match a cohort; the same input and seed always give the same result."""
    # Threaded BLAS slows the many small products here; one thread is faster and predictable.
    with threadpool_limits(1):
        return _run_match(participants, config, constraints, progress)


def _run_match(
    participants: Sequence[Participant],
    config: MatchConfig,
    constraints: Constraints | None,
    progress: Progress | None,
) -> MatchResult:
    report = progress or (lambda _stage, _fraction: None)
    constraints = constraints or Constraints()
    _validate(participants, config)
    report("scoring", 0.0)
    cohort = Cohort(participants, config)
    feas = Feasibility(participants, config, constraints, cohort.index)
    locks = check_locks(participants, config, constraints, cohort.index, feas)
    report("scoring", 1.0)
    run = _Run(cohort, feas, locks, report)
    if config.mode == "circles":
        run.circles()
    else:
        run.pairs(mutual=config.mode == "mutual")
    result = run.result()
    report("explaining", 1.0)
    return result


class _Run:
    def __init__(
        self, cohort: Cohort, feas: Feasibility, locks: list[tuple[int, ...]], report: Progress
    ) -> None:
        self.cohort = cohort
        self.feas = feas
        self.locks = locks
        self.report = report
        self.groups: list[list[int]] = [list(g) for g in locks]
        self.locked_count = len(locks)
        self.attached: dict[int, tuple[int, str]] = {}
        self.unplaced: list[int] = []
        self.upper_extra = 0.0
        self.upper: float | None = None
        self.blocking = 0
        self.stable: bool | None = None
        self.optimal = False
        self.notes: list[str] = []
        locked = {m for g in locks for m in g}
        self.pool = np.array([i for i in range(cohort.n) if i not in locked], dtype=np.int64)

    # ------------------------------------------------------------------ pairs and mutual
    def pairs(self, *, mutual: bool) -> None:
        cohort = self.cohort
        k = cohort.config.effective_k(len(self.pool))
        graph = build_candidates(
            cohort, self.feas, self.pool, k, self.report, bound_k=max(k, BOUND_K)
        )
        self.graph = graph
        if mutual:
            partner = self._mutual(graph)
            matched = [(i, j) for i, j in partner.items() if i < j]
            if len(graph.a):
                plain = self._long_list_lp(graph) or _fractional_lp(
                    cohort.n, graph.a, graph.b, graph.weight
                )
                if plain is None:
                    self.upper = self._pairs_bound(graph, None, 0)
                else:
                    self.upper = self._pairs_bound(graph, plain.dual2, plain.big)
            else:
                self.upper = 0.0
        else:
            weight, lifted = self._priority_weights(graph)
            with ThreadPoolExecutor(max_workers=1) as side:
                # The bound's linear program over the longer lists does not depend on the
                # pairing, and its compiled solver runs beside the pairing's on the other core.
                long_lp = side.submit(self._long_list_lp, graph)
                outcome = max_weight_matching(
                    cohort.n, graph.a, graph.b, weight, exact=False, progress=self.report
                )
                # Whoever the solver's repair windows could not reach is paired along
                # augmenting paths, so triads are left only for people who truly cannot be
                # paired.
                augment_exposed(cohort.n, outcome.mate, graph.a, graph.b, graph.weight)
                matched = [(i, int(j)) for i, j in enumerate(outcome.mate.tolist()) if j > i]
                lp: _LP | None = long_lp.result()
            if lp is None and lifted and len(graph.a):
                # The solver's prices include the priority bonus; the bound needs plain ones.
                lp = _fractional_lp(cohort.n, graph.a, graph.b, graph.weight)
            if lp is None:
                self.upper = self._pairs_bound(graph, outcome.dual2, outcome.big)
            else:
                self.upper = self._pairs_bound(graph, lp.dual2, lp.big)
        leftovers = sorted(set(self.pool.tolist()) - {x for pq in matched for x in pq})
        self.report("triads", 0.0)
        first_pair = len(self.groups)
        self.groups += [list(pq) for pq in matched]
        self._attach(first_pair, leftovers)
        if not mutual:
            self.blocking = self._score_blocking(graph)

    def _off_list_need(self, graph: CandidateGraph, price: np.ndarray) -> np.ndarray:
        """The least price each person needs so that every pair left off the lists is covered.

        A pair (i, j) off both lists scores at most min(kth[i], kth[j]); i needs at least that
        minus j's price, for every j near enough in stage (a superset of the real partners).
        Raising only i's side keeps this valid, since j's price never goes down. Where that
        asks more than kth[i] / 2, half is enough: two people priced at half their k-th best
        cover every pair between them, and anyone priced by the first rule covers theirs.
        """
        need = np.zeros(graph.n)
        pool = self.pool
        stage = self.cohort.stage
        gap = self.cohort.max_gap
        kth = graph.kth
        for s in np.unique(stage[pool]).tolist():
            rows = pool[stage[pool] == s]
            band = pool[np.abs(stage[pool] - s) <= gap]
            band = band[np.lexsort((price[band], kth[band]))]
            bk, by = kth[band], price[band]
            # Partners listing fewer than k people have every pair on their own list.
            finite = np.isfinite(bk)
            ahead = np.maximum.accumulate(np.where(finite, bk - by, -np.inf))
            behind = np.minimum.accumulate(by[::-1])[::-1]
            at = np.searchsorted(bk, kth[rows], side="left")
            lower = np.where(at > 0, ahead[np.maximum(at - 1, 0)], -np.inf)
            # The lowest price among partners with kth >= kth[i], leaving i out: i's tie group
            # starts at ``at`` and is sorted by price, so before i it is the group's first;
            # after i it is the suffix minimum.
            position = np.empty(graph.n, dtype=np.int64)
            position[band] = np.arange(len(band))
            mine = position[rows]
            size = len(band)
            before = np.where(at < mine, by[np.minimum(at, size - 1)], np.inf)
            after = np.where(mine + 1 < size, behind[np.minimum(mine + 1, size - 1)], np.inf)
            upper_min = np.minimum(before, after)
            higher = kth[rows] - upper_min
            value = np.minimum(np.maximum(lower, higher), kth[rows] / 2)
            need[rows] = np.where(np.isfinite(kth[rows]), np.maximum(value, 0.0), 0.0)
        return need

    def _priority_weights(self, graph: CandidateGraph) -> tuple[np.ndarray, bool]:
        """Edge weights with a bonus per member who has priority, larger than any total of
        scores, so the solver pairs the most priority people before it weighs scores."""
        flags = np.array([p.priority for p in self.cohort.participants], dtype=bool)
        if not flags[self.pool].any() or len(graph.a) == 0:
            return graph.weight, False
        bonus = (len(self.pool) // 2 + 1) * (int(graph.weight.max()) + 1)
        lift = bonus * (flags[graph.a].astype(np.int64) + flags[graph.b])
        return graph.weight + lift, True

    def _long_list_lp(self, graph: CandidateGraph) -> _LP | None:
        """The fractional matching LP over the longer lists kept for the bound, where it is
        affordable (a few seconds more, a tighter bound), or None."""
        if not len(graph.extra_a) or not (len(self.pool) <= BOUND_LP_LIMIT or auction_available()):
            return None
        a = np.concatenate((graph.a, graph.extra_a))
        b = np.concatenate((graph.b, graph.extra_b))
        weight = np.rint(np.concatenate((graph.score, graph.extra_score)) * graph.scale)
        order = np.argsort(a * graph.n + b, kind="stable")
        return _fractional_lp(graph.n, a[order], b[order], weight[order].astype(np.int64))

    def _pairs_bound(self, graph: CandidateGraph, dual2: np.ndarray | None, big: int) -> float:
        """Proven bound on any grouping of the pool into pairs and triads.

        The matching LP's duals, clipped at zero, are node prices y with y[i] + y[j] at least
        every listed pair's integer weight. They are raised, in exact scores, until every pair
        with a known score is covered (the extra pairs kept for the bound, and rounding), and
        until every pair left off the lists is too (y[i] >= kth[i] / 2, since such a pair
        scores at most the lower k-th best of the two). Then the sum of prices bounds every
        pairing, and every triad too, because a triad's mean of three pair scores is at most
        two thirds of its members' prices.
        """
        pool = self.pool
        fallback = float(np.maximum(graph.best[pool], 0.0).sum() / 2) + 0.01 * len(pool)
        if dual2 is None:
            return fallback
        price = np.maximum(dual2[: graph.n].astype(np.float64) - big, 0.0) / (2 * graph.scale)
        a = np.concatenate((graph.a, graph.extra_a))
        b = np.concatenate((graph.b, graph.extra_b))
        score = np.concatenate((graph.score, graph.extra_score))
        for _ in range(3):
            short = score - price[a] - price[b]
            over = short > 0
            if not over.any():
                break
            raise_by = np.zeros(graph.n)
            np.maximum.at(raise_by, a[over], short[over] / 2)
            np.maximum.at(raise_by, b[over], short[over] / 2)
            price += raise_by
        price = np.maximum(price, self._off_list_need(graph, price))
        return float(min(price[pool].sum(), fallback))

    def _mutual(self, graph: CandidateGraph) -> dict[int, int]:
        cohort = self.cohort
        n = cohort.n
        heads = np.concatenate((graph.a, graph.b))
        tails = np.concatenate((graph.b, graph.a))
        view = cohort.directional(heads, tails)
        order = np.lexsort((tails, -view, heads))
        heads, tails = heads[order], tails[order]
        ptr = np.searchsorted(heads, np.arange(n + 1))
        in_pool = np.zeros(n, dtype=bool)
        in_pool[self.pool] = True
        prefs: list[list[int]] = [[] for _ in range(n)]
        explicit = 0
        for i in self.pool.tolist():
            ranking = cohort.participants[i].ranking
            if ranking:
                explicit += 1
                chosen = [cohort.index[r] for r in ranking if r in cohort.index]
                prefs[i] = [
                    j for j in dict.fromkeys(chosen) if in_pool[j] and self.feas.pair_ok(i, j)
                ]
            else:
                prefs[i] = tails[ptr[i] : ptr[i + 1]].tolist()
        if explicit:
            self.notes.append(
                f"{explicit} participants ranked others themselves; the rest were "
                f"ranked by how much each candidate offers them"
            )
        partner = stable_roommates(prefs)
        self.stable = partner is not None
        if partner is None:
            self.notes.append("No stable matching exists for these rankings")
            extra_a = [i for i in range(n) for j in prefs[i] if i < j]
            extra_b = [j for i in range(n) for j in prefs[i] if i < j]
            a = np.concatenate((graph.a, np.array(extra_a, dtype=np.int64)))
            b = np.concatenate((graph.b, np.array(extra_b, dtype=np.int64)))
            _, first = np.unique(a * n + b, return_index=True)
            a, b = a[first], b[first]
            w = np.rint(cohort.scores(a, b) * SCORE_SCALE).astype(np.int64)
            outcome = max_weight_matching(n, a, b, w, exact=False, progress=self.report)
            partner = {i: int(j) for i, j in enumerate(outcome.mate.tolist()) if j >= 0}
            if cohort.config.mutual_objective == "fewest_blocking":
                partner = self._fewest_blocking(prefs, partner)
            else:
                self.notes.append(
                    "The highest-score pairing is returned, as mutual_objective asks; set it "
                    "to fewest_blocking to put the fewest blocking pairs first"
                )
        self.blocking = blocking_pairs(prefs, partner)
        return partner

    def _fewest_blocking(self, prefs: list[list[int]], by_score: dict[int, int]) -> dict[int, int]:
        """Among pairings of the most mutually acceptable pairs, the fewest blocking pairs."""
        cohort = self.cohort
        lists = _mutual_lists(prefs)
        pa = np.array([x for x, lst in enumerate(lists) for y in lst if x < y], dtype=np.int64)
        pb = np.array([y for x, lst in enumerate(lists) for y in lst if x < y], dtype=np.int64)
        if len(pa) == 0:
            return by_score
        score = cohort.scores(pa, pb)
        weight = {(int(x), int(y)): float(v) for x, y, v in zip(pa, pb, score, strict=True)}
        w = np.rint(score * SCORE_SCALE).astype(np.int64)
        start = max_weight_matching(cohort.n, pa, pb, w, exact=False).mate
        begin = {i: int(j) for i, j in enumerate(start.tolist()) if j >= 0}
        partner, proven = fewest_blocking(prefs, weight, begin)

        def total(match: dict[int, int]) -> float:
            pairs = [(i, j) for i, j in match.items() if i < j]
            if not pairs:
                return 0.0
            return float(
                cohort.scores(
                    np.array([i for i, _ in pairs]), np.array([j for _, j in pairs])
                ).sum()
            )

        fewest, most = blocking_pairs(prefs, partner), blocking_pairs(prefs, by_score)
        cost = total(by_score) - total(partner)
        how = "proven fewest" if proven else "found by local search, not proven fewest"
        self.notes.append(
            f"Among pairings of the most mutually acceptable pairs, this one has the fewest "
            f"blocking pairs ({fewest}, {how}); the highest-score pairing has {most} and "
            f"scores {cost:.1f} points more in total. Set mutual_objective to highest_score "
            f"to prefer it."
        )
        return partner

    def _score_blocking(self, graph: CandidateGraph) -> int:
        """Candidate pairs who both score each other above everyone in their own group."""
        n = self.cohort.n
        current = np.full(n, -np.inf)
        group_of = np.full(n, -1)
        first: list[int] = []
        second: list[int] = []
        for k, g in enumerate(self.groups):
            group_of[g] = k
            for x in g:
                for y in g:
                    if x != y:
                        first.append(x)
                        second.append(y)
        if first:
            i = np.array(first, dtype=np.int64)
            j = np.array(second, dtype=np.int64)
            np.maximum.at(current, i, self.cohort.scores(i, j))
        apart = group_of[graph.a] != group_of[graph.b]
        better = (graph.score > current[graph.a] + 1e-9) & (graph.score > current[graph.b] + 1e-9)
        return int((apart & better).sum())

    def _attach(self, first_pair: int, leftovers: list[int]) -> None:
        """Give each leftover the pair that fits them best, one leftover per pair."""
        if not leftovers:
            return
        cohort = self.cohort
        pairs = np.array(self.groups[first_pair:], dtype=np.int64).reshape(-1, 2)
        if len(pairs) == 0:
            self.unplaced += leftovers
            return
        pair_score = cohort.scores(pairs[:, 0], pairs[:, 1])
        options: dict[int, np.ndarray] = {}
        gains: dict[int, np.ndarray] = {}
        for x in leftovers:
            xs = np.full(len(pairs), x)
            ok = np.flatnonzero(
                self.feas.feasible(xs, pairs[:, 0]) & self.feas.feasible(xs, pairs[:, 1])
            )
            if len(ok) == 0:
                continue
            s1 = cohort.scores(xs[ok], pairs[ok, 0])
            s2 = cohort.scores(xs[ok], pairs[ok, 1])
            # Change in the total when the pair's score becomes the triad's mean.
            gain = (s1 + s2 + pair_score[ok]) / 3 - pair_score[ok]
            keep = np.argsort(-gain, kind="stable")[:50]
            options[x] = ok[keep]
            gains[x] = gain[keep]
        takers = sorted(options)
        columns = sorted({int(c) for x in takers for c in options[x].tolist()})
        col = {c: k for k, c in enumerate(columns)}
        if takers:
            # Any placement beats none, so feasible cells are lifted above every infeasible one.
            matrix = np.full((len(takers), len(columns)), -1e9)
            for r, x in enumerate(takers):
                for c, g in zip(options[x].tolist(), gains[x].tolist(), strict=True):
                    matrix[r, col[c]] = g + 1e6
            rows, cols = linear_sum_assignment(matrix, maximize=True)
            placed = set()
            odd = len(self.pool) % 2 == 1
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
                if matrix[r, c] <= -1e8:
                    continue
                x = takers[r]
                group = self.groups[first_pair + columns[c]]
                group.append(x)
                why = (
                    "the number of people is odd"
                    if odd and len(leftovers) == 1
                    else "every compatible peer of theirs was already paired"
                )
                self.attached[first_pair + columns[c]] = (x, why)
                placed.add(x)
        self.unplaced += [x for x in leftovers if x not in self.attached_members()]

    def attached_members(self) -> set[int]:
        return {x for x, _ in self.attached.values()}

    # ------------------------------------------------------------------ circles
    def circles(self) -> None:
        circles, unplaced, upper = form_circles(
            self.cohort, self.feas, self.pool, self.locks, self.report
        )
        self.groups = circles
        self.locked_count = 0
        locked_sets = [set(g) for g in self.locks]
        self.locked_flags = [any(s <= set(c) for s in locked_sets) for c in circles]
        self.unplaced = unplaced
        self.upper = upper
        if self.cohort.n > 6000:
            self.notes.append(
                "Large cohort: circles were formed within stage-ordered chunks of "
                "6,000 people; the upper bound covers circles within those chunks"
            )

    # ------------------------------------------------------------------ result
    def result(self) -> MatchResult:
        cohort = self.cohort
        groups: list[Group] = []
        total_rows = max(len(self.groups), 1)
        flags = getattr(self, "locked_flags", None)
        scored = score_groups(cohort, self.feas, self.groups)
        for k, members in enumerate(self.groups):
            gs = scored[k]
            attached = self.attached.get(k)
            locked = flags[k] if flags is not None else k < self.locked_count
            said, said_to = group_reasons(cohort, members, gs.components)
            groups.append(
                Group(
                    members=tuple(cohort.ids[m] for m in members),
                    score=gs.score,
                    components=gs.components,
                    reasons=said,
                    member_reasons=said_to,
                    warnings=warnings(
                        cohort,
                        members,
                        gs.score,
                        attached=attached[0] if attached else None,
                        attach_why=attached[1] if attached else "",
                    ),
                    locked=locked,
                )
            )
            if k % 1000 == 0:
                self.report("explaining", k / total_rows)
        circles = cohort.config.mode == "circles"
        unmatched = [
            Unmatched(cohort.ids[i], unmatched_reason(cohort, self.feas, i, circles=circles))
            for i in sorted(self.unplaced)
        ]
        scores = [g.score for g in groups]
        total = float(sum(scores))
        placed = sum(len(g.members) for g in groups)
        locked_total = sum(
            g.score
            for g, members in zip(groups, self.groups, strict=True)
            if g.locked and not circles
        )
        upper = total if self.upper is None else self.upper + locked_total
        upper = max(upper, total)
        metrics = Metrics(
            total=total,
            mean=total / len(groups) if groups else 0.0,
            min=min(scores) if scores else 0.0,
            coverage=placed / cohort.n if cohort.n else 1.0,
            blocking_pairs=self.blocking,
            upper_bound=upper,
            stable=self.stable,
            # Proven optimal when nothing lies between the result and the proven bound.
            optimal=bool(total >= upper - 1e-6 * max(1.0, upper)),
        )
        return MatchResult(cohort.config.mode, groups, unmatched, metrics, self.notes)
