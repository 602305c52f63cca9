"""Candidate graphs: each person's best feasible partners, found in stage bands block by block.

Scoring every pair of a national society is out of reach, but each person's k best partners
are enough for a near-optimal matching, and the k-th best score bounds every pair left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tandem.engine.feasibility import Feasibility
from tandem.engine.scoring import SCORE_SCALE, Cohort

Progress = Callable[[str, float], None]

# Cells per scored block: large enough for fast matrix products, small enough to stay in memory.
_BLOCK_CELLS = 2_000_000
# float32 block scores differ from the exact float64 ones by far less than this.
_FLOAT32_MARGIN = 1e-3


@dataclass
class CandidateGraph:
    """Undirected candidate edges a < b with exact scores and per-person bounds."""

    n: int
    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    weight: np.ndarray
    best: np.ndarray
    # Every feasible pair (i, j) missing from the graph scores at most min(kth[i], kth[j]).
    kth: np.ndarray

    @property
    def size(self) -> int:
        return len(self.a)


def build_candidates(
    cohort: Cohort,
    feas: Feasibility,
    pool: np.ndarray,
    k: int | None,
    progress: Progress | None = None,
    stage_name: str = "candidates",
) -> CandidateGraph:
    """Top-k feasible partners of everyone in ``pool`` (k=None keeps every feasible pair)."""
    n = cohort.n
    in_pool = np.zeros(n, dtype=bool)
    in_pool[pool] = True
    best = np.full(n, -np.inf)
    kth = np.full(n, -np.inf)
    pos = np.full(n, -1, dtype=np.int64)
    heads: list[np.ndarray] = []
    tails: list[np.ndarray] = []
    pool_stage = cohort.stage[pool]
    stages = np.unique(pool_stage)
    total_rows = max(len(pool), 1)
    done_rows = 0
    gap = cohort.max_gap
    for s in stages.tolist():
        rows_all = pool[pool_stage == s]
        band = pool[np.abs(pool_stage - s) <= gap]
        pos[band] = np.arange(len(band))
        step = max(16, min(4096, _BLOCK_CELLS // max(len(band), 1)))
        for start in range(0, len(rows_all), step):
            rows = rows_all[start : start + step]
            block = cohort.block(rows, band)
            r_idx = np.arange(len(rows))
            block[r_idx, pos[rows]] = -np.inf
            # Forbidden partners inside the band are struck out before ranking.
            lens = feas.ptr[rows + 1] - feas.ptr[rows]
            if lens.sum():
                offsets = np.repeat(feas.ptr[rows] - np.cumsum(lens) + lens, lens)
                partners = feas.nbr[offsets + np.arange(lens.sum())]
                owner = np.repeat(r_idx, lens)
                inside = pos[partners] >= 0
                block[owner[inside], pos[partners[inside]]] = -np.inf
            finite = np.isfinite(block)
            count = finite.sum(axis=1)
            best[rows] = np.where(count > 0, block.max(axis=1), -np.inf)
            width = len(band)
            keep = width if k is None else min(k, width)
            if keep < width:
                top = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
                vals = np.take_along_axis(block, top, axis=1)
                full = count > keep
                kth[rows] = np.where(full, vals.min(axis=1) + _FLOAT32_MARGIN, -np.inf)
            else:
                top = np.broadcast_to(np.arange(width), (len(rows), width))
                vals = block
            ok = np.isfinite(vals)
            heads.append(np.broadcast_to(rows[:, None], top.shape)[ok])
            tails.append(band[top[ok]])
            done_rows += len(rows)
            if progress is not None:
                progress(stage_name, done_rows / total_rows)
        pos[band] = -1
    if heads:
        head = np.concatenate(heads)
        tail = np.concatenate(tails)
    else:
        head = tail = np.zeros(0, dtype=np.int64)
    lo = np.minimum(head, tail)
    hi = np.maximum(head, tail)
    keys = np.unique(lo * n + hi)
    a = keys // n
    b = keys % n
    score = cohort.scores(a, b)
    weight = np.rint(score * SCORE_SCALE).astype(np.int64)
    return CandidateGraph(n=n, a=a, b=b, score=score, weight=weight, best=best, kth=kth)
