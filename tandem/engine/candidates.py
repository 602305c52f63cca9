"""Candidate graphs: each person's best feasible partners, found in stage bands block by block.

Scoring every pair of a national society is out of reach, but each person's k best partners
are enough for a near-optimal matching, and the k-th best score bounds every pair left out.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from tandem.engine.feasibility import Feasibility
from tandem.engine.scoring import SCORE_SCALE, Cohort

Progress = Callable[[str, float], None]

# Cells per scored block: large enough for fast matrix products, small enough to stay in memory.
_BLOCK_CELLS = 2_000_000
# float32 block scores differ from the exact float64 ones by far less than this.
_FLOAT32_MARGIN = 1e-3
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


def _rank_block(
    cohort: Cohort, feas: Feasibility, rows: np.ndarray, band: np.ndarray, k: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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
    with ThreadPoolExecutor(max_workers=workers) as pool_exec:
        # Blocks are independent and numpy releases the GIL, so two run side by side;
        # results are taken in submission order, keeping the output deterministic.
        for rows, head, tail, row_best, row_kth, rank in pool_exec.map(
            lambda task: _rank_block(cohort, feas, task[0], task[1], keep_k), tasks
        ):
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
