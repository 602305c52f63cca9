"""Candidate graphs: each person's best feasible partners, found in stage bands block by block.

Scoring every pair of a national society is out of reach, but each person's k best partners
are enough for a near-optimal matching, and the k-th best score bounds every pair left out.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tandem.engine.compiled import compiled, popcount
from tandem.engine.feasibility import Feasibility
from tandem.engine.scoring import SCORE_SCALE, Cohort

Progress = Callable[[str, float], None]

# Cells per scored block: large enough for fast matrix products, small enough to stay in memory.
_BLOCK_CELLS = 2_000_000
# float32 block scores differ from the exact float64 ones by far less than this.
_FLOAT32_MARGIN = 1e-3
# Pools from this many people are ranked by the compiled loop, where numba is installed.
COMPILED_FROM = 20_000
# Threads scoring candidate blocks side by side.
WORKERS = 2
# Finest integer steps per score point given to the solver; coarser only where the sums of
# such weights would exceed what the linear program's float arithmetic holds exactly.
FINE_SCALE = 10_000
_EXACT_FLOAT = 2**52


def weight_scale(people: int) -> int:
    """Integer steps per score point for matching ``people``: as fine as stays exact."""
    scale = FINE_SCALE
    while scale > SCORE_SCALE and (people // 2 + 2) * (100 * scale + 1) * (people + 1) * 4 >= (
        _EXACT_FLOAT
    ):
        scale //= 10
    return scale


def _top_k(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's k largest entries as (row, column, value), rows ascending, values descending.

    A threshold from a strided sample finds the survivors in one pass; rows the threshold
    leaves short are ranked in full.
    """
    rows, width = block.shape
    if k >= width:
        row_of = np.repeat(np.arange(rows), width)
        col_of = np.tile(np.arange(width), rows)
        vals = block.ravel()
    else:
        stride = max(1, min(16, width // (4 * k)))
        sample = block[:, ::stride]
        q = min(sample.shape[1], max(2, -(-2 * k // stride)))
        threshold = np.partition(sample, sample.shape[1] - q, axis=1)[:, sample.shape[1] - q]
        mask = block >= threshold[:, None]
        short = np.flatnonzero(mask.sum(axis=1) < k)
        mask[short] = False
        row_of, col_of = np.nonzero(mask)
        if len(short):
            top = np.argpartition(-block[short], k - 1, axis=1)[:, :k]
            row_of = np.concatenate((row_of, np.repeat(short, k)))
            col_of = np.concatenate((col_of, top.ravel()))
        vals = block[row_of, col_of]
    order = np.lexsort((col_of, -vals, row_of))
    row_of, col_of, vals = row_of[order], col_of[order], vals[order]
    start = np.searchsorted(row_of, np.arange(rows))
    rank = np.arange(len(row_of)) - start[row_of]
    keep = rank < k
    return row_of[keep], col_of[keep], vals[keep]


@dataclass
class CandidateGraph:
    """Undirected candidate edges a < b with exact scores and per-person bounds."""

    n: int
    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    weight: np.ndarray
    best: np.ndarray
    # Every feasible pair (i, j) missing from the graph and from the extra edges scores at
    # most min(kth[i], kth[j]).
    kth: np.ndarray
    # Integer steps per score point in ``weight``.
    scale: int = SCORE_SCALE
    # Pairs beyond the solver's lists, kept with exact scores only to tighten the bound.
    extra_a: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    extra_b: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    extra_score: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def size(self) -> int:
        return len(self.a)


# Rows, their partners (one per kept pair, with each pair's rank), best and k-th scores.
_Ranked = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _rank_block(
    cohort: Cohort, feas: Feasibility, rows: np.ndarray, band: np.ndarray, k: int | None
) -> _Ranked:
    """Score rows against their (sorted) stage band and keep each row's best partners."""
    block = cohort.block(rows, band)
    r_idx = np.arange(len(rows))
    block[r_idx, np.searchsorted(band, rows)] = -np.inf
    struck = np.ones(len(rows), dtype=np.int64)
    # Forbidden partners inside the band are struck out before ranking.
    lens = feas.ptr[rows + 1] - feas.ptr[rows]
    if lens.sum():
        offsets = np.repeat(feas.ptr[rows] - np.cumsum(lens) + lens, lens)
        partners = feas.nbr[offsets + np.arange(lens.sum())]
        owner = np.repeat(r_idx, lens)
        at = np.minimum(np.searchsorted(band, partners), len(band) - 1)
        inside = band[at] == partners
        block[owner[inside], at[inside]] = -np.inf
        struck += np.bincount(owner[inside], minlength=len(rows))
    short = feas.too_little_time_block(rows, band)
    if short is not None:
        short &= np.isfinite(block)
        block[short] = -np.inf
        struck += short.sum(axis=1)
    count = len(band) - struck
    keep = len(band) if k is None else k
    row_of, col_of, vals = _top_k(block, keep)
    ok = np.isfinite(vals)
    row_of, col_of, vals = row_of[ok], col_of[ok], vals[ok]
    first = np.searchsorted(row_of, r_idx)
    last = np.searchsorted(row_of, r_idx, side="right") - 1
    has = last >= first
    if len(vals):
        row_best = np.where(has, vals[np.minimum(first, len(vals) - 1)], -np.inf)
        row_kth = np.where(
            has & (count > keep), vals[np.maximum(last, 0)] + _FLOAT32_MARGIN, -np.inf
        )
    else:
        row_best = row_kth = np.full(len(rows), -np.inf)
    if k is None:
        row_kth = np.full(len(rows), -np.inf)
    rank = np.arange(len(row_of)) - np.searchsorted(row_of, row_of)
    return rows, rows[row_of], band[col_of], row_best, row_kth, rank


def _score_rows(
    rows: np.ndarray,
    band: np.ndarray,
    keep: int,
    person: tuple[np.ndarray, ...],
    member: tuple[np.ndarray, ...],
    weights: np.ndarray,
    min_shared: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``keep`` best partners in the ``band``, scored pair by pair.

    ``person`` holds everyone's features, ``member`` the same features gathered for the band
    (read in order, pair after pair), each goal term's band postings, and the band's stage
    segments (the band is ordered by stage). Returns band positions and scores (rows by
    ``keep``, -1 and -inf where a row has fewer, best first, ties to the lower person index)
    and, for each row, a count of feasible partners that exceeds ``keep`` exactly when the row
    has more feasible partners than it keeps.

    The partners sharing a goal term with the row are scored first. Everyone else in a stage
    segment scores at most the segment's ceiling (full reciprocity, specialty and availability,
    no shared goal, the segment's stage proximity), so once the row's list is full and its
    last score is above that ceiling the segment is passed over: the lists are exactly those of
    scoring every pair, for a fraction of the work.
    """
    (offers, seeks, inv_cap, no_seek, spec, pref, stage, avail, inv_root) = person[:9]
    (goal_ptr, goal_term, goal_value, forbid_ptr, forbid_nbr, masks, has_mask) = person[9:16]
    (b_offers, b_seeks, b_inv_cap, b_no_seek, b_spec, b_pref, b_stage) = member[:7]
    (b_avail, b_inv_root, b_masks, b_has_mask, proximity) = member[7:12]
    (term_ptr, term_pos, term_value, where, seg_ptr) = member[12:17]
    w_recip, w_goals, w_spec, w_avail = weights[0], weights[1], weights[2], weights[3]
    words = offers.shape[1]
    slots = avail.shape[1]
    width = len(band)
    cols = np.full((len(rows), keep), -1, dtype=np.int64)
    vals = np.full((len(rows), keep), -np.inf)
    count = np.zeros(len(rows), dtype=np.int64)
    goals = np.zeros(width, dtype=np.float32)
    todo = np.zeros(width, dtype=np.int64)
    near = np.zeros(width, dtype=np.int64)
    segments = len(seg_ptr) - 1
    ceiling = np.zeros(segments)
    scores = np.zeros(width)
    struck = np.zeros(width, dtype=np.bool_)
    # One side's specialty wish by (preference, both specialties known, the same): met or
    # no preference 1, not met 0, unknown a half.
    wish = np.array([[[1.0, 1.0], [1.0, 1.0]], [[0.5, 0.5], [0.0, 1.0]], [[0.5, 0.5], [1.0, 0.0]]])
    half_avail = 0.5 * w_avail
    # Scores are sums of five rounded terms; a ceiling is only trusted this far below a floor.
    slack = 1e-9
    for r in range(len(rows)):
        me = rows[r]
        # Goal similarity of this row with every band member, from the band's term postings.
        for t in range(goal_ptr[me], goal_ptr[me + 1]):
            term = goal_term[t]
            mine = goal_value[t]
            for p in range(term_ptr[term], term_ptr[term + 1]):
                goals[term_pos[p]] += mine * term_value[p]
        _strike(struck, where, me, forbid_nbr[forbid_ptr[me] : forbid_ptr[me + 1]], True)
        my_cap, my_no_seek, my_pref, my_spec = inv_cap[me], no_seek[me], pref[me], spec[me]
        my_root, my_stage = inv_root[me], stage[me]
        timed = min_shared > 0 and has_mask[me]
        # The most a partner sharing no goal term can score: full reciprocity, specialty and
        # availability, plus their stage's proximity.
        rest = w_recip + 2.0 * w_spec + (w_avail if my_root > 0.0 else half_avail)
        for x in range(segments):
            ceiling[x] = rest + proximity[my_stage, b_stage[seg_ptr[x]]]
        size = 0
        floor = -np.inf
        feasible = 0
        more = False
        # Pass 0 scores the partners sharing a goal term with the row, which fills its list
        # with high scores; then each stage segment's other members, highest ceiling first,
        # unless the segment's ceiling stays below the list's last score.
        for step in range(segments + 1):
            m = 0
            if step == 0:
                for c in range(width):
                    if goals[c] > 0.0:
                        todo[m] = c
                        m += 1
                touched = m
                near[:touched] = todo[:touched]
            else:
                s = np.argmax(ceiling)
                top = ceiling[s]
                ceiling[s] = -np.inf
                passed_over = size == keep and top + slack < floor
                for c in range(seg_ptr[s], seg_ptr[s + 1]):
                    if goals[c] > 0.0:
                        continue
                    if not passed_over:
                        todo[m] = c
                        m += 1
                    elif more or feasible > keep:
                        break
                    else:
                        # Nobody here can enter the list; it only matters whether the row has
                        # more feasible partners than it keeps.
                        more = not (
                            struck[c]
                            or (
                                timed
                                and b_has_mask[c]
                                and _too_little_time(me, c, masks, b_masks, min_shared)
                            )
                        )
            # First every pair's score without a branch, so the loop runs straight through...
            for i in range(m):
                c = todo[i]
                met_other = 0
                met_me = 0
                for w in range(words):
                    met_other += popcount(offers[me, w] & b_seeks[c, w])
                    met_me += popcount(b_offers[c, w] & seeks[me, w])
                gain_other = min(1.0, met_other * b_inv_cap[c] + b_no_seek[c])
                gain_me = min(1.0, met_me * my_cap + my_no_seek)
                known = int((my_spec >= 0) & (b_spec[c] >= 0))
                same = int(my_spec == b_spec[c])
                shared = 0
                for w in range(slots):
                    shared += popcount(avail[me, w] & b_avail[c, w])
                both = my_root * b_inv_root[c]
                scores[i] = (
                    w_recip * np.sqrt(gain_other * gain_me)
                    + w_goals * min(goals[c], 1.0)
                    + proximity[my_stage, b_stage[c]]
                    + w_spec * (wish[my_pref, known, same] + wish[b_pref[c], known, same])
                    + (w_avail * shared * both if both > 0.0 else half_avail)
                )
            # ...then the few that beat the row's current floor enter its sorted list.
            for i in range(m):
                c = todo[i]
                if struck[c] or (
                    timed and b_has_mask[c] and _too_little_time(me, c, masks, b_masks, min_shared)
                ):
                    continue
                feasible += 1
                score = scores[i]
                if size == keep and (
                    score < floor or (score == floor and band[c] > band[cols[r, keep - 1]])
                ):
                    continue
                # Insert behind equal scores of lower person index.
                j = size if size < keep else keep - 1
                while j > 0 and (
                    vals[r, j - 1] < score
                    or (vals[r, j - 1] == score and band[cols[r, j - 1]] > band[c])
                ):
                    vals[r, j] = vals[r, j - 1]
                    cols[r, j] = cols[r, j - 1]
                    j -= 1
                vals[r, j] = score
                cols[r, j] = c
                if size < keep:
                    size += 1
                if size == keep:
                    floor = vals[r, keep - 1]
        count[r] = feasible + 1 if more else feasible
        for i in range(touched):
            goals[near[i]] = 0.0
        _strike(struck, where, me, forbid_nbr[forbid_ptr[me] : forbid_ptr[me + 1]], False)
    return cols, vals, count


def _too_little_time(
    me: int, c: int, masks: np.ndarray, b_masks: np.ndarray, min_shared: int
) -> bool:
    """Whether ``me`` and band member ``c`` share fewer free slots than the cohort requires."""
    shared_time = 0
    for w in range(masks.shape[1]):
        shared_time += popcount(masks[me, w] & b_masks[c, w])
    return shared_time < min_shared


def _strike(struck: np.ndarray, where: np.ndarray, me: int, partners: np.ndarray, on: bool) -> None:
    """Mark (or unmark) a row's own place and its forbidden partners' places in the band."""
    if where[me] >= 0:
        struck[where[me]] = on
    for other in partners:
        if where[other] >= 0:
            struck[where[other]] = on


def _kernel() -> Any:
    """The compiled pair-by-pair ranking, or None where numba is not installed."""
    return compiled(_score_rows, popcount, _too_little_time, _strike)


# Rows per compiled task: each is scored against its whole stage band.
_KERNEL_ROWS = 256


class _CompiledRanking:
    """The inputs of the compiled ranking, built once per cohort and once per stage band."""

    def __init__(self, kernel: Any, cohort: Cohort, feas: Feasibility, keep: int) -> None:
        self.kernel = kernel
        self.keep = keep
        n = cohort.n
        weight = cohort.weight
        self.weights = np.array(
            [
                weight["reciprocity"],
                weight["goals"],
                0.5 * weight["specialty"],
                weight["availability"],
            ]
        )
        rungs = int(cohort.stage.max()) + 1 if n else 1
        ladder = np.arange(rungs)
        proximity = cohort._stage(np.abs(ladder[:, None] - ladder[None, :])) * weight["stage"]
        self.proximity = np.ascontiguousarray(proximity, dtype=np.float64)
        n_avail = cohort.n_avail.astype(np.float64)
        inv_root = np.where(n_avail > 0, 1.0 / np.sqrt(np.maximum(n_avail, 1.0)), 0.0)
        goals = cohort.goals.tocsr()
        self.goals = goals
        self.person = (
            _bits(cohort.offers),
            _bits(cohort.seeks),
            cohort.inv_cap.astype(np.float64),
            cohort.no_seek.astype(np.float64),
            cohort.spec.astype(np.int64),
            cohort.pref.astype(np.int64),
            cohort.stage.astype(np.int64),
            np.ascontiguousarray(cohort.avail, dtype=np.uint64),
            inv_root,
            goals.indptr.astype(np.int64),
            goals.indices.astype(np.int64),
            goals.data.astype(np.float32),
            feas.ptr.astype(np.int64),
            feas.nbr.astype(np.int64),
            np.ascontiguousarray(feas.masks, dtype=np.uint64),
            feas.has_mask.astype(np.bool_),
        )
        self.min_shared = int(feas.min_shared)
        self.max_gap = cohort.max_gap
        self.stage = cohort.stage
        self.bands: dict[int, tuple[np.ndarray, tuple[np.ndarray, ...]]] = {}

    def tasks(
        self, pool: np.ndarray, pool_stage: np.ndarray
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Rows in chunks, each with its stage band; bands are indexed once here."""
        out: list[tuple[np.ndarray, np.ndarray]] = []
        for s in np.unique(pool_stage).tolist():
            inside = np.flatnonzero(np.abs(pool_stage - s) <= self.max_gap)
            # The band runs stage by stage, so a whole stage's members can be passed over.
            inside = inside[np.argsort(pool_stage[inside], kind="stable")]
            band = pool[inside]
            starts = np.flatnonzero(np.diff(pool_stage[inside])) + 1
            seg_ptr = np.concatenate(([0], starts, [len(band)])).astype(np.int64)
            where = np.full(self.stage.shape[0], -1, dtype=np.int64)
            where[band] = np.arange(len(band))
            # Each goal term's band members, so a row's similarities come from its own terms.
            postings = self.goals[band].tocsc()
            person = self.person
            # The band's own copies are read in order, pair after pair, which keeps the
            # compiled loop in cache.
            member = (
                *(np.ascontiguousarray(person[f][band]) for f in (*range(9), 14, 15)),
                self.proximity,
                postings.indptr.astype(np.int64),
                postings.indices.astype(np.int32),
                postings.data.astype(np.float32),
                where,
                seg_ptr,
            )
            self.bands[s] = (band, member)
            rows_all = pool[pool_stage == s]
            out += [
                (rows_all[i : i + _KERNEL_ROWS], s) for i in range(0, len(rows_all), _KERNEL_ROWS)
            ]
        return out

    def rank(self, task: tuple[np.ndarray, np.ndarray]) -> _Ranked:
        rows = task[0]
        band, member = self.bands[int(self.stage[rows[0]])]
        cols, vals, count = self.kernel(
            rows, band, self.keep, self.person, member, self.weights, self.min_shared
        )
        found = cols >= 0
        row_of = np.nonzero(found)[0]
        col_of = cols[found]
        have = found.sum(axis=1)
        row_best = np.where(have > 0, vals[:, 0], -np.inf)
        last = np.maximum(have - 1, 0)
        row_kth = np.where(
            (have > 0) & (count > self.keep),
            vals[np.arange(len(rows)), last] + _FLOAT32_MARGIN,
            -np.inf,
        )
        rank = np.arange(len(row_of)) - np.searchsorted(row_of, row_of)
        return rows, rows[row_of], band[col_of], row_best, row_kth, rank


def _bits(flags: np.ndarray) -> np.ndarray:
    """0/1 columns packed into 64-bit words, one row per person."""
    n, width = flags.shape
    words = np.zeros((n, max(1, (width + 63) // 64)), dtype=np.uint64)
    for k in range(width):
        word, bit = divmod(k, 64)
        words[:, word] |= (flags[:, k] > 0).astype(np.uint64) << np.uint64(bit)
    return words


def build_candidates(
    cohort: Cohort,
    feas: Feasibility,
    pool: np.ndarray,
    k: int | None,
    progress: Progress | None = None,
    stage_name: str = "candidates",
    bound_k: int = 0,
) -> CandidateGraph:
    """Top-k feasible partners of everyone in ``pool`` (k=None keeps every feasible pair).

    With ``bound_k`` above k, partners ranked k+1 to bound_k come back as extra edges and
    ``kth`` is taken at rank bound_k, which makes the proven bound tighter at little cost.
    """
    keep_k = None if k is None else max(k, bound_k)
    n = cohort.n
    best = np.full(n, -np.inf)
    kth = np.full(n, -np.inf)
    heads: list[np.ndarray] = []
    tails: list[np.ndarray] = []
    ranks: list[np.ndarray] = []
    pool = np.sort(np.asarray(pool, dtype=np.int64))
    pool_stage = cohort.stage[pool]
    tasks: list[tuple[np.ndarray, np.ndarray]] = []
    for s in np.unique(pool_stage).tolist():
        rows_all = pool[pool_stage == s]
        band = pool[np.abs(pool_stage - s) <= cohort.max_gap]
        step = max(16, min(4096, _BLOCK_CELLS // max(len(band), 1)))
        tasks += [(rows_all[i : i + step], band) for i in range(0, len(rows_all), step)]
    total_rows = max(len(pool), 1)
    done_rows = 0
    workers = max(1, min(WORKERS, os.cpu_count() or 1))
    # Small cohorts keep the numpy path: loading the compiled code costs about a second,
    # more than it saves below national scale.
    large = keep_k is not None and len(pool) >= COMPILED_FROM
    kernel = _kernel() if large else None
    if kernel is not None:
        compiled = _CompiledRanking(kernel, cohort, feas, keep_k or 0)
        tasks = compiled.tasks(pool, pool_stage)
        rank_task = compiled.rank
    else:

        def rank_task(task: tuple[np.ndarray, np.ndarray]) -> _Ranked:
            return _rank_block(cohort, feas, task[0], task[1], keep_k)

    with ThreadPoolExecutor(max_workers=workers) as pool_exec:
        # Blocks are independent and numpy and the compiled ranking release the GIL, so two
        # run side by side; results are taken in submission order, keeping the output
        # deterministic.
        for rows, head, tail, row_best, row_kth, rank in pool_exec.map(rank_task, tasks):
            best[rows] = row_best
            kth[rows] = row_kth
            heads.append(head)
            tails.append(tail)
            ranks.append(rank)
            done_rows += len(rows)
            if progress is not None:
                progress(stage_name, done_rows / total_rows)
    if heads:
        head = np.concatenate(heads)
        tail = np.concatenate(tails)
        rank = np.concatenate(ranks)
    else:
        head = tail = rank = np.zeros(0, dtype=np.int64)
    lo = np.minimum(head, tail)
    hi = np.maximum(head, tail)
    main = np.ones(len(head), dtype=bool) if k is None else rank < k
    keys = np.unique(lo[main] * n + hi[main])
    a = keys // n
    b = keys % n
    score = cohort.scores(a, b)
    scale = weight_scale(len(pool))
    weight = np.rint(score * scale).astype(np.int64)
    extra = np.setdiff1d(np.unique(lo[~main] * n + hi[~main]), keys, assume_unique=True)
    ea, eb = extra // n, extra % n
    return CandidateGraph(
        n=n,
        a=a,
        b=b,
        score=score,
        weight=weight,
        best=best,
        kth=kth,
        scale=scale,
        extra_a=ea,
        extra_b=eb,
        extra_score=cohort.scores(ea, eb),
    )
