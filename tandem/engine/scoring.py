"""Pair scores: the five components for any pair of participants, vectorised with numpy.

A ``Cohort`` turns participants into arrays once; every later step (candidate lists, exact
rescoring, group scores, reasons) asks it for scores so all of them agree to the last digit.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from tandem.engine.availability import free_mask_words, word_bits
from tandem.engine.defaults import COMPONENTS
from tandem.engine.model import MatchConfig, Participant

# Scores run from 0 to 100; the solvers work on integers at this many steps per point.
SCORE_SCALE = 100

# Verbs and fillers that say nothing about the goal itself, so shared themes stay meaningful.
_GOAL_STOP_WORDS = sorted(
    ENGLISH_STOP_WORDS
    | {
        "want",
        "wants",
        "like",
        "hope",
        "able",
        "become",
        "get",
        "better",
        "improve",
        "strengthen",
        "build",
        "learn",
        "work",
        "working",
        "goal",
        "goals",
        "year",
        "years",
        "next",
        "make",
        "really",
        "start",
        "starting",
        "develop",
        "grow",
        "good",
        "new",
        "ll",
        "ve",
        "im",
        "use",
        "need",
        "hoping",
        "main",
        "things",
        "thing",
        "help",
    }
)

_PREF_CODE = {"any": 0, "same": 1, "different": 2}


class Cohort:
    """Participants as arrays, with the score function and the names behind each feature."""

    def __init__(self, participants: Sequence[Participant], config: MatchConfig) -> None:
        self.participants = list(participants)
        self.config = config
        self.n = n = len(self.participants)
        self.ids = [p.id for p in self.participants]
        self.names = [p.display_name for p in self.participants]
        self.index = {pid: i for i, pid in enumerate(self.ids)}
        self.stage = np.array([p.stage for p in self.participants], dtype=np.int64)
        self.max_gap = int(config.max_stage_gap)
        weights = config.weights.as_dict()
        total_weight = sum(weights.values())
        # Each component's share of 100 points.
        self.weight = {c: 100.0 * weights[c] / total_weight for c in COMPONENTS}

        topics = sorted({t for p in self.participants for t in p.offers | p.seeks})
        self.topics = topics
        topic_index = {t: i for i, t in enumerate(topics)}
        self.offers = np.zeros((n, len(topics)), dtype=np.float32)
        self.seeks = np.zeros((n, len(topics)), dtype=np.float32)
        for i, p in enumerate(self.participants):
            for t in p.offers:
                self.offers[i, topic_index[t]] = 1.0
            for t in p.seeks:
                self.seeks[i, topic_index[t]] = 1.0
        n_seeks = self.seeks.sum(axis=1)
        # Meeting two of someone's needs counts as fully meeting them; nobody needs all ten met.
        self.inv_cap = (1.0 / np.minimum(np.maximum(n_seeks, 1.0), 2.0)).astype(np.float32)
        self.inv_cap[n_seeks == 0] = 0.0
        # Someone who seeks nothing is neither helped nor let down: a neutral half.
        self.no_seek = np.where(n_seeks > 0, 0.0, 0.5).astype(np.float32)

        specialties = sorted({p.specialty.strip().lower() for p in self.participants} - {""})
        spec_index = {s: i for i, s in enumerate(specialties)}
        self.spec = np.array(
            [spec_index.get(p.specialty.strip().lower(), -1) for p in self.participants],
            dtype=np.int64,
        )
        self.pref = np.array(
            [_PREF_CODE.get(p.specialty_preference, 0) for p in self.participants], dtype=np.int8
        )

        slots = sorted({s for p in self.participants for s in p.availability})
        slot_index = {s: i for i, s in enumerate(slots)}
        words = (len(slots) + 63) // 64
        self.avail = np.zeros((n, words), dtype=np.uint64)
        for i, p in enumerate(self.participants):
            for s in p.availability:
                k = slot_index[s]
                self.avail[i, k // 64] |= np.uint64(1) << np.uint64(k % 64)
        self.slots = slots
        self.n_avail = np.array([len(p.availability) for p in self.participants], dtype=np.float32)
        if any(p.free_mask is not None for p in self.participants):
            self.avail, self.slots, _ = free_mask_words(self.participants)
            self.n_avail = np.bitwise_count(self.avail).sum(axis=1).astype(np.float32)

        self.goals, self.terms = _goal_vectors([p.main_thing for p in self.participants])
        self._parts: _BlockParts | None = None
        self._term_cache: dict[int, dict[int, float]] = {}

    # ----------------------------------------------------------------- pair scores
    def components(self, i: np.ndarray, j: np.ndarray) -> dict[str, np.ndarray]:
        """Each component in 0..1 for the pairs (i[k], j[k]); symmetric in i and j."""
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        gain_j = np.minimum(1.0, (self.offers[i] * self.seeks[j]).sum(axis=1) * self.inv_cap[j])
        gain_j = gain_j + self.no_seek[j]
        gain_i = np.minimum(1.0, (self.offers[j] * self.seeks[i]).sum(axis=1) * self.inv_cap[i])
        gain_i = gain_i + self.no_seek[i]
        out = {
            "reciprocity": np.sqrt(gain_i * gain_j).astype(np.float64),
            "goals": self._goal_similarity(i, j),
            "stage": self._stage(np.abs(self.stage[i] - self.stage[j])),
            "specialty": 0.5 * (self._specialty_sat(i, j) + self._specialty_sat(j, i)),
            "availability": self._availability(i, j),
        }
        return out

    def total(self, components: dict[str, np.ndarray]) -> np.ndarray:
        return sum((self.weight[c] * components[c] for c in COMPONENTS), np.zeros(1))

    def scores(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Total score 0..100 of each pair (i[k], j[k])."""
        if len(i) == 0:
            return np.zeros(0)
        out = np.empty(len(i))
        step = 200_000
        for s in range(0, len(i), step):
            out[s : s + step] = self.total(self.components(i[s : s + step], j[s : s + step]))
        return out

    def directional(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """How good j is for i alone: what j offers that i seeks, and i's own specialty wish."""
        i = np.asarray(i, dtype=np.int64)
        j = np.asarray(j, dtype=np.int64)
        gain_i = np.minimum(1.0, (self.offers[j] * self.seeks[i]).sum(axis=1) * self.inv_cap[i])
        gain_i = gain_i + self.no_seek[i]
        comps = {
            "reciprocity": gain_i.astype(np.float64),
            "goals": self._goal_similarity(i, j),
            "stage": self._stage(np.abs(self.stage[i] - self.stage[j])),
            "specialty": self._specialty_sat(i, j),
            "availability": self._availability(i, j),
        }
        return self.total(comps)

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Total scores of every row against every column, as a float32 matrix.

        Components are folded into small matrix products wherever they can be, because at
        national scale this function sees hundreds of millions of pairs.
        """
        fast = self._fast()
        gain_c = fast.give[rows] @ fast.take[cols].T
        np.minimum(gain_c, 1.0, out=gain_c)
        gain_r = fast.take[rows] @ fast.give[cols].T
        np.minimum(gain_r, 1.0, out=gain_r)
        gain_c *= gain_r
        del gain_r
        total: np.ndarray = np.sqrt(gain_c, out=gain_c)
        total *= np.float32(self.weight["reciprocity"])
        # Specialty, stage and availability in one product.
        total += fast.left[rows] @ fast.right[cols].T
        if self.goals.nnz:
            prod = (fast.goals[rows] @ fast.goals_t[:, cols]).tocsr()
            row_of = np.repeat(np.arange(len(rows)), np.diff(prod.indptr))
            total[row_of, prod.indices] += prod.data
        return total

    def _fast(self) -> _BlockParts:
        if self._parts is None:
            self._parts = _BlockParts(self)
        return self._parts

    # ----------------------------------------------------------------- components
    def _stage(self, gap: np.ndarray) -> np.ndarray:
        return np.clip(1.0 - gap / (self.max_gap + 1.0), 0.0, 1.0)

    def _goal_similarity(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if self.goals.nnz == 0 or len(i) == 0:
            return np.zeros(len(i))
        prod = self.goals[i].multiply(self.goals[j])
        return np.asarray(prod.sum(axis=1), dtype=np.float64).ravel().clip(0.0, 1.0)

    def _specialty_sat(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        pref = self.pref[i]
        known = (self.spec[i] >= 0) & (self.spec[j] >= 0)
        same = self.spec[i] == self.spec[j]
        met = np.where(pref == 1, same, ~same)
        sat = np.where(known, met.astype(np.float64), 0.5)
        return np.where(pref == 0, 1.0, sat)

    def _availability(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Shared slots over the geometric mean of both counts; a neutral half if either is
        missing, since availability was not given rather than absent."""
        if self.avail.shape[1] == 0:
            return np.full(len(i), 0.5)
        shared = np.bitwise_count(self.avail[i] & self.avail[j]).sum(axis=1).astype(np.float64)
        both = self.n_avail[i].astype(np.float64) * self.n_avail[j]
        return np.where(both > 0, shared / np.sqrt(np.maximum(both, 1.0)), 0.5)

    # ----------------------------------------------------------------- names for reasons
    def shared_themes(self, i: int, j: int, limit: int = 2) -> list[str]:
        """The goal phrases both people used, most distinctive first (bigrams before words)."""
        if self.goals.nnz == 0:
            return []
        mine, theirs = self._terms_of(i), self._terms_of(j)
        common = mine.keys() & theirs.keys()
        if not common:
            return []
        weights = {str(self.terms[t]): mine[t] * theirs[t] for t in common}
        return _phrases(weights)[:limit]

    def _terms_of(self, i: int) -> dict[int, float]:
        # Reasons ask for the same person's terms many times; a dict makes that cheap.
        found = self._term_cache.get(i)
        if found is None:
            g = self.goals
            lo, hi = g.indptr[i], g.indptr[i + 1]
            found = dict(zip(g.indices[lo:hi].tolist(), g.data[lo:hi].tolist(), strict=True))
            self._term_cache[i] = found
        return found


class _BlockParts:
    """Per-person vectors arranged so that block scores reduce to small matrix products."""

    def __init__(self, cohort: Cohort) -> None:
        w = cohort.weight
        n = cohort.n
        ones = np.ones((n, 1), dtype=np.float32)
        # give[r] . take[c] = share of c's needs that r meets (or the neutral half).
        self.give = np.hstack([cohort.offers, ones])
        self.take = np.hstack([cohort.seeks * cohort.inv_cap[:, None], cohort.no_seek[:, None]])
        root = np.float32(np.sqrt(w["goals"]))
        self.goals = (cohort.goals * root).tocsr().astype(np.float32)
        self.goals_t = self.goals.T.tocsc()

        # Specialty: sat(r -> c) + sat(c -> r) = table[r].onehot[c] + onehot[r].table[c].
        codes = int(cohort.spec.max()) + 2 if n else 1
        unknown = codes - 1
        spec = np.where(cohort.spec >= 0, cohort.spec, unknown)
        onehot = np.zeros((n, codes), dtype=np.float32)
        onehot[np.arange(n), spec] = 1.0
        table = np.ones((n, codes), dtype=np.float32)
        known = cohort.spec >= 0
        for code_pref, match in ((1, True), (2, False)):
            who = np.flatnonzero(cohort.pref == code_pref)
            same = np.arange(codes)[None, :] == spec[who][:, None]
            table[who] = np.where(same == match, 1.0, 0.0)
            table[who, unknown] = 0.5
            table[who[~known[who]]] = 0.5
        half = np.float32(0.5 * w["specialty"])
        left: list[np.ndarray] = [table * half, onehot * half]
        right: list[np.ndarray] = [onehot, table]

        # Stage: one-hot rung on the left, the rung-to-rung proximity table on the right.
        rungs = int(cohort.stage.max()) + 1 if n else 1
        stage_hot = np.zeros((n, rungs), dtype=np.float32)
        stage_hot[np.arange(n), cohort.stage] = 1.0
        ladder = np.arange(rungs)
        proximity = cohort._stage(np.abs(ladder[:, None] - ladder[None, :])).astype(np.float32)
        left.append(stage_hot)
        right.append(proximity[:, cohort.stage].T * np.float32(w["stage"]))

        # Availability: shared slots / sqrt(|A| |B|), or a neutral half when either gave none.
        wa = np.float32(w["availability"])
        empty = (cohort.n_avail == 0).astype(np.float32)[:, None]
        if cohort.slots:
            bits, repeats = _distinct_slots(cohort.avail, len(cohort.slots))
            scaled = bits / np.sqrt(np.maximum(cohort.n_avail, 1.0))[:, None]
            left.append(scaled * (wa * repeats)[None, :])
            right.append(scaled)
        # 0.5 * (empty_r OR empty_c) = 0.5 * (e_r + e_c - e_r e_c), written as a product.
        left += [empty * (0.5 * wa), ones * (0.5 * wa), empty * (0.5 * wa)]
        right += [ones, empty, -empty]
        self.left = np.ascontiguousarray(np.hstack(left), dtype=np.float32)
        self.right = np.ascontiguousarray(np.hstack(right), dtype=np.float32)


def _distinct_slots(avail: np.ndarray, slots: int) -> tuple[np.ndarray, np.ndarray]:
    """Everyone's slots as 0/1 columns for the shared-slot product, without the slots nobody
    has free (the night hours of free-time masks) and with identical slots kept once and
    counted: the products give the same shared counts with far fewer columns."""
    n = avail.shape[0]
    bits = word_bits(avail, slots)
    used = np.flatnonzero(bits.any(axis=0))
    if not len(used):
        return np.zeros((n, 1), dtype=np.float32), np.zeros(1, dtype=np.float32)
    # Slots told apart by their packed column (who is free then), in order of first slot:
    # a dictionary of bytes, where sorting whole columns took seconds at national scale.
    packed = np.ascontiguousarray(np.packbits(bits[:, used], axis=0).T)
    position: dict[bytes, int] = {}
    kept: list[int] = []
    repeats: list[int] = []
    for k, column in enumerate(packed):
        at = position.setdefault(column.tobytes(), len(kept))
        if at == len(kept):
            kept.append(int(used[k]))
            repeats.append(0)
        repeats[at] += 1
    columns = np.ascontiguousarray(bits[:, kept], dtype=np.float32)
    return columns, np.array(repeats, dtype=np.float32)


def _phrases(weights: dict[str, float]) -> list[str]:
    """Chain shared bigrams that overlap ("strong personal" + "personal statement") into
    phrases, keep leftover words, and rank phrases by total weight, longer ones first."""
    bigrams = [t.split(" ") for t in weights if " " in t]
    chains: list[list[str]] = []
    for first, second in sorted(bigrams):
        for chain in chains:
            if chain[-1] == first:
                chain.append(second)
                break
            if chain[0] == second:
                chain.insert(0, first)
                break
        else:
            chains.append([first, second])
    covered = {word for chain in chains for word in chain}
    scored: list[tuple[float, str]] = []
    for chain in chains:
        total = sum(weights.get(f"{x} {y}", 0.0) for x, y in itertools.pairwise(chain))
        scored.append((total + sum(weights.get(w, 0.0) for w in chain), " ".join(chain)))
    for term, w in weights.items():
        if " " not in term and term not in covered:
            scored.append((w, term))
    scored.sort(key=lambda sw: (-(" " in sw[1]), -sw[0], sw[1]))
    return [phrase for _, phrase in scored]


def _goal_vectors(sentences: list[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    """TF-IDF vectors of the main-thing sentences, L2-normalised; empty when no one wrote one."""
    n = len(sentences)
    if not any(s.strip() for s in sentences):
        return sp.csr_matrix((n, 0), dtype=np.float32), np.array([], dtype=object)
    vectorizer = TfidfVectorizer(
        stop_words=_GOAL_STOP_WORDS,
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(sentences)
    except ValueError:
        # Only stop words were written: there is nothing to compare.
        return sp.csr_matrix((n, 0), dtype=np.float32), np.array([], dtype=object)
    return sp.csr_matrix(matrix, dtype=np.float32), vectorizer.get_feature_names_out()
