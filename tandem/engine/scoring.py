"""Pair scores: the five components for any pair of participants, vectorised with numpy.

A ``Cohort`` turns participants into arrays once; every later step (candidate lists, exact
rescoring, group scores, reasons) asks it for scores so all of them agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from tandem.engine.defaults import COMPONENTS
from tandem.engine.model import MatchConfig, Participant

# Scores run from 0 to 100; the solvers work on integers at this many steps per point.
SCORE_SCALE = 100

# Verbs and fillers that say nothing about the goal itself, so shared themes stay meaningful.
_GOAL_STOP_WORDS = sorted(
    ENGLISH_STOP_WORDS
    | {
        "want", "wants", "like", "hope", "able", "become", "get", "better", "improve", "strengthen",
        "build", "learn", "work", "working", "goal", "goals", "year", "years", "next", "make",
        "really", "start", "starting", "develop", "grow", "good", "new", "ll", "ve", "im", "use",
        "need", "hoping", "main", "things", "thing", "help",
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
        self.inv_cap = np.where(n_seeks > 0, 1.0 / np.minimum(n_seeks, 2.0), 0.0).astype(np.float32)
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

        self.goals, self.terms = _goal_vectors([p.main_thing for p in self.participants])

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
        """Total scores of every row against every column, as a float32 matrix."""
        w = self.weight
        o_r, s_r = self.offers[rows], self.seeks[rows]
        o_c, s_c = self.offers[cols], self.seeks[cols]
        gain_c = o_r @ s_c.T
        gain_c *= self.inv_cap[cols][None, :]
        np.minimum(gain_c, 1.0, out=gain_c)
        gain_c += self.no_seek[cols][None, :]
        gain_r = (o_c @ s_r.T).T
        gain_r *= self.inv_cap[rows][:, None]
        np.minimum(gain_r, 1.0, out=gain_r)
        gain_r += self.no_seek[rows][:, None]
        gain_c *= gain_r
        total = np.sqrt(gain_c, out=gain_c)
        total *= np.float32(w["reciprocity"])
        del gain_r
        if self.goals.nnz:
            goals = (self.goals[rows] @ self.goals[cols].T).toarray()
            goals *= np.float32(w["goals"])
            total += goals
            del goals
        gap = np.abs(self.stage[rows][:, None] - self.stage[cols][None, :]).astype(np.float32)
        total += np.float32(w["stage"]) * self._stage(gap).astype(np.float32)
        del gap
        total += np.float32(w["specialty"] * 0.5) * (
            self._specialty_block(rows, cols) + self._specialty_block(cols, rows).T
        )
        total += np.float32(w["availability"]) * self._availability_block(rows, cols)
        return total

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

    def _specialty_block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        pref = self.pref[rows]
        out = np.ones((len(rows), len(cols)), dtype=np.float32)
        picky = np.flatnonzero(pref != 0)
        if len(picky) == 0:
            return out
        spec_r = self.spec[rows][picky][:, None]
        spec_c = self.spec[cols][None, :]
        same = spec_r == spec_c
        met = np.where((pref[picky] == 1)[:, None], same, ~same).astype(np.float32)
        known = (spec_r >= 0) & (spec_c >= 0)
        out[picky] = np.where(known, met, np.float32(0.5))
        return out

    def _availability(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        if self.avail.shape[1] == 0:
            return np.full(len(i), 0.5)
        shared = np.bitwise_count(self.avail[i] & self.avail[j]).sum(axis=1).astype(np.float64)
        smaller = np.minimum(self.n_avail[i], self.n_avail[j])
        return np.where(smaller > 0, shared / np.maximum(smaller, 1.0), 0.5)

    def _availability_block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        if self.avail.shape[1] == 0:
            return np.full((len(rows), len(cols)), 0.5, dtype=np.float32)
        shared = np.zeros((len(rows), len(cols)), dtype=np.float32)
        for word in range(self.avail.shape[1]):
            both = self.avail[rows, word][:, None] & self.avail[cols, word][None, :]
            shared += np.bitwise_count(both).astype(np.float32)
        smaller = np.minimum(self.n_avail[rows][:, None], self.n_avail[cols][None, :])
        return np.where(smaller > 0, shared / np.maximum(smaller, 1.0), np.float32(0.5))

    # ----------------------------------------------------------------- names for reasons
    def shared_themes(self, i: int, j: int, limit: int = 2) -> list[str]:
        """The goal phrases both people used, most distinctive first (bigrams before words)."""
        if self.goals.nnz == 0:
            return []
        g = self.goals
        idx_i, val_i = g.indices[g.indptr[i] : g.indptr[i + 1]], g.data[g.indptr[i] : g.indptr[i + 1]]
        idx_j, val_j = g.indices[g.indptr[j] : g.indptr[j + 1]], g.data[g.indptr[j] : g.indptr[j + 1]]
        common, at_i, at_j = np.intersect1d(idx_i, idx_j, assume_unique=True, return_indices=True)
        if len(common) == 0:
            return []
        weight = val_i[at_i] * val_j[at_j]
        weights = {str(self.terms[t]): float(w) for t, w in zip(common, weight, strict=True)}
        return _phrases(weights)[:limit]


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
        total = sum(weights.get(f"{x} {y}", 0.0) for x, y in zip(chain, chain[1:], strict=False))
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
