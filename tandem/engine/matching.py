"""Maximum-cardinality, maximum-weight matching on integer-weighted graphs of any size.

Small parts go straight to an exact blossom solver; large ones are guided by the fractional
matching LP: its duals give a proven upper bound, show which edges can matter, and, when the
primal comes close enough, prune the graph far enough to solve it exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import rustworkx as rx
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from tandem.engine.compiled import compiled

Progress = Callable[[str, float], None]

# Components up to this many nodes are solved exactly without further ado.
SMALL_COMPONENT = 300
# Sparse components up to this size go straight to the blossom solver (well under a second).
DIRECT_LIMIT = 1000
# Largest component handed to the blossom solver when exactness is not demanded.
PART_LIMIT = 2500
# Largest pruned graph (in edges) worth solving to certify optimality outside exact mode.
CERTIFY_EDGE_LIMIT = 60_000
# Largest window re-solved while repairing; bigger ones are left for the triad step.
WINDOW_NODES = 1500
# Nodes per pair of exposed nodes explored while repairing; keeps each window small.
WINDOW_LIMIT = 3000
# Graphs from this many nodes get the LP's duals from the compiled auction, when numba is
# installed; smaller ones from the exact assignment, which is quick at that size.
AUCTION_FROM = 20_000
# Bids per node the auction may spend before the exact assignment takes over.
AUCTION_BIDS = 400
# Weights beyond this make the exact assignment's float arithmetic inexact.
_EXACT_FLOAT = 2**52
# The auction works in 64-bit integers on weights multiplied by the node count; its prices
# stay below a few times the largest such value, so this leaves room to spare.
_EXACT_AUCTION = 2**60


@dataclass
class MatchingOutcome:
    """A matching as a mate array (-1 = exposed) with its proof of quality."""

    mate: np.ndarray
    weight: int
    optimal: bool
    # Upper bound on the weight of a max-cardinality matching of this graph (None: not computed).
    upper_bound: float | None
    # Twice the LP duals in shifted units, and the shift; used to bound edges left out.
    dual2: np.ndarray | None
    big: int
    odd: bool


@dataclass
class _LP:
    dual2: np.ndarray  # 2*y for n nodes (+1 dummy when n is odd)
    ub2: int  # 2 * sum(y): twice the LP bound on w + big per edge
    big: int
    odd: bool


def max_weight_matching(
    n: int,
    a: np.ndarray,
    b: np.ndarray,
    w: np.ndarray,
    *,
    exact: bool,
    progress: Progress | None = None,
    guided: bool | None = None,
) -> MatchingOutcome:
    """Match nodes 0..n-1 over edges (a[k], b[k], w[k]): most edges first, then most weight.

    With ``exact`` the result is always optimal; otherwise large graphs may get a near-optimal
    matching, with ``optimal`` telling whether it was proven optimal. ``guided`` forces the
    LP-guided path on (True) or off (False) for every component; None decides by size.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    w = np.asarray(w, dtype=np.int64)
    mate = np.full(n, -1, dtype=np.int64)
    if len(a) == 0:
        return MatchingOutcome(mate, 0, True, 0.0, None, 0, n % 2 == 1)
    report = progress or (lambda _stage, _fraction: None)
    n_comp, label = _components(n, a, b)
    sizes = np.bincount(label, minlength=n_comp)
    edge_label = label[a]
    comp_edges = np.bincount(label[a], minlength=n_comp)
    # Sparse parts of moderate size are fastest straight through the blossom solver; dense
    # ones (bring-your-own-score graphs) gain most from LP pruning.
    large = (sizes > SMALL_COMPONENT) & ((sizes > DIRECT_LIMIT) | (comp_edges > 40 * sizes))
    if guided is not None:
        large = (sizes > 2) & guided
    small_edges = ~large[edge_label]
    report("matching", 0.05)
    _solve_parts(mate, a[small_edges], b[small_edges], w[small_edges], label[a[small_edges]])
    lp = _fractional_lp(n, a, b, w)
    if lp is None:
        # No exact route to the LP for weights this wide: solve directly and give no bound.
        _solve_parts(
            mate, a[~small_edges], b[~small_edges], w[~small_edges], label[a[~small_edges]]
        )
        matched = mate[a] == b
        return MatchingOutcome(mate, int(w[matched].sum()), True, None, None, 0, n % 2 == 1)
    report("matching", 0.35)
    optimal = not large.any()
    if large.any():
        big_edges = large[edge_label]
        la, lb, lw = a[big_edges], b[big_edges], w[big_edges]
        rc2 = lp.dual2[la] + lp.dual2[lb] - 2 * (lw + lp.big)
        _solve_tight(mate, la, lb, lw, rc2)
        report("matching", 0.55)
        _repair(n, mate, la, lb, lw, rc2)
        report("matching", 0.8)
        optimal = _certify(n, mate, a, b, w, lp, exact)
        if not optimal and exact:
            mate[:] = -1
            _solve_parts(mate, a, b, w, label[a])
            optimal = True
    report("matching", 1.0)
    matched = mate[a] == b
    weight = int(w[matched].sum())
    pairs = int(matched.sum())
    ub = lp.ub2 / 2 - lp.big * (pairs + (1 if lp.odd else 0))
    return MatchingOutcome(mate, weight, optimal, float(max(ub, weight)), lp.dual2, lp.big, lp.odd)


def _components(n: int, a: np.ndarray, b: np.ndarray) -> tuple[int, np.ndarray]:
    graph = sp.coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
    count, label = connected_components(graph, directed=False)
    return int(count), label.astype(np.int64)


def _solve_parts(
    mate: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray, part: np.ndarray
) -> None:
    """Solve each part (edges grouped by ``part``) exactly and write the pairs into ``mate``."""
    if len(a) == 0:
        return
    order = np.argsort(part, kind="stable")
    a, b, w, part = a[order], b[order], w[order], part[order]
    cuts = np.flatnonzero(np.diff(part)) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [len(part)]))
    single = ends - starts == 1
    # A part with one edge is matched along it; no solver needed.
    s = starts[single]
    mate[a[s]] = b[s]
    mate[b[s]] = a[s]
    for s, e in zip(starts[~single].tolist(), ends[~single].tolist(), strict=True):
        for x, y in _blossom(a[s:e], b[s:e], w[s:e]):
            mate[x] = y
            mate[y] = x


def _blossom(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> list[tuple[int, int]]:
    """Exact max-cardinality max-weight matching of one edge list with the blossom algorithm."""
    nodes, inverse = np.unique(np.concatenate((a, b)), return_inverse=True)
    m = len(a)
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(len(nodes)))
    graph.add_edges_from(
        list(zip(inverse[:m].tolist(), inverse[m:].tolist(), w.tolist(), strict=True))
    )
    found = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return [(int(nodes[x]), int(nodes[y])) for x, y in found]


def _fractional_lp(n: int, a: np.ndarray, b: np.ndarray, w: np.ndarray) -> _LP | None:
    """Optimal duals of the fractional matching LP via its bipartite double cover, or None
    when the weights are too wide for every exact route.

    Weights are lifted by ``big`` so that covering more nodes always wins; a dummy node joined
    to everyone makes the node count even, so an odd count costs the bound nothing. The
    compiled auction counts in 64-bit integers and takes far wider weights (a million people
    at 1/100 of a point) than the exact assignment's float arithmetic.
    """
    span = (n // 2 + 2) * (max(int(w.max()), 0) - min(int(w.min()), 0) + 1) if len(w) else 1
    float_exact = span * (n + 1) < _EXACT_FLOAT
    auction_exact = span * (n + 2) < _EXACT_AUCTION
    if not float_exact and not (auction_exact and n + 1 >= AUCTION_FROM):
        return None
    odd = n % 2 == 1
    size = n + 1 if odd else n
    ea, eb, ew = a, b, w
    if odd:
        everyone = np.arange(n, dtype=np.int64)
        ea = np.concatenate((a, everyone))
        eb = np.concatenate((b, np.full(n, n, dtype=np.int64)))
        ew = np.concatenate((w, np.zeros(n, dtype=np.int64)))
    low = min(int(ew.min()), 0)
    high = max(int(ew.max()), 0)
    big = (size // 2 + 1) * (high - low + 1) + abs(low)
    diag = np.arange(size, dtype=np.int64)
    # Every entry is shifted by one so that no stored weight is zero; the shift is undone below.
    rows = np.concatenate((ea, eb, diag))
    cols = np.concatenate((eb, ea, diag))
    vals = np.concatenate((ew + big + 1, ew + big + 1, np.ones(size, dtype=np.int64)))
    matrix = sp.csr_matrix((vals.astype(np.float64), (rows, cols)), shape=(size, size))
    dual2 = _auction_duals(matrix, size) if size >= AUCTION_FROM and auction_exact else None
    if dual2 is None:
        if not float_exact:
            return None
        dual2 = _assignment_duals(matrix, size)
    return _LP(dual2=dual2, ub2=int(dual2.sum()), big=int(big), odd=odd)


def _assignment_duals(matrix: sp.csr_matrix, size: int) -> np.ndarray:
    """Twice the node duals from an exact assignment (LAPJVsp) and shortest-path potentials."""
    r, c = min_weight_full_bipartite_matching(matrix, maximize=True)
    sigma = np.empty(size, dtype=np.int64)
    sigma[r] = c
    dense_vals = np.rint(matrix.data).astype(np.int64)
    indptr, indices = matrix.indptr, matrix.indices
    row_of = np.repeat(np.arange(size), np.diff(indptr))
    assigned = np.zeros(size, dtype=np.int64)
    hit = indices == sigma[row_of]
    assigned[row_of[hit]] = dense_vals[hit]
    # Potentials are shortest distances over arcs sigma(i) -> j of length w(i,sigma(i)) - w(i,j).
    # Small graphs need few rounds; loading compiled code would cost more than it saves.
    shortest = compiled(_shortest_from_all, _relax) if size >= AUCTION_FROM else None
    if shortest is not None:
        owner = np.empty(size, dtype=np.int64)
        owner[sigma] = np.arange(size)
        pot: np.ndarray = shortest(
            indptr.astype(np.int64), indices.astype(np.int64), dense_vals, assigned, owner
        )
    else:
        pot = _potentials(size, sigma, row_of, indices, dense_vals, assigned)
    dual2: np.ndarray = assigned - 1 + pot[sigma] - pot
    return dual2


def auction_available() -> bool:
    """Whether large LPs get their duals from the compiled auction (numba is installed)."""
    return compiled(_auction, _bid) is not None


def _auction_duals(matrix: sp.csr_matrix, size: int) -> np.ndarray | None:
    """Twice the node duals from a compiled auction with epsilon scaling (Bertsekas), or None
    where numba is missing or the auction ran past its budget.

    Values are multiplied by size + 1, so the last round (epsilon 1) ends at an optimal
    assignment and its prices at most one unit per node above optimal duals. Row profits
    max_j(a_ij - p_j) and prices p_j cover every entry by construction, and rounding both up
    to whole units keeps that, so the bound stays proven whatever the auction's precision.
    """
    auction = compiled(_auction, _bid)
    if auction is None:
        return None
    factor = size + 1
    # Entries hold value + 1 (no stored zeros); the auction wants the values themselves.
    values = (np.rint(matrix.data).astype(np.int64) - 1) * factor
    indptr = matrix.indptr.astype(np.int64)
    indices = matrix.indices.astype(np.int64)
    start = max(1, int(values.max()) // 4)
    price, done = auction(indptr, indices, values, start, AUCTION_BIDS * size)
    if not done:
        return None
    gain = values - price[indices]
    profit = np.maximum.reduceat(gain, indptr[:-1]) if len(gain) else np.zeros(size, np.int64)
    dual2: np.ndarray = -(-profit // factor) - (-price // factor)
    return dual2


def _auction(
    indptr: np.ndarray, indices: np.ndarray, values: np.ndarray, start: int, budget: int
) -> tuple[np.ndarray, bool]:
    """Forward auction for a maximum assignment, epsilon divided by 8 each round down to 1.
    Returns the prices and whether it finished within ``budget`` bids."""
    size = len(indptr) - 1
    price = np.zeros(size, dtype=np.int64)
    owner = np.full(size, -1, dtype=np.int64)
    queue = np.empty(size, dtype=np.int64)
    eps = start
    bids = 0
    while True:
        owner[:] = -1
        for i in range(size):
            queue[i] = i
        head = 0
        waiting = size
        while waiting > 0:
            row = queue[head]
            head = head + 1 if head + 1 < size else 0
            waiting -= 1
            loser = _bid(row, indptr, indices, values, price, owner, eps)
            if loser >= 0:
                tail = head + waiting
                queue[tail if tail < size else tail - size] = loser
                waiting += 1
            bids += 1
            if bids > budget:
                return price, False
        if eps == 1:
            return price, True
        eps = max(1, eps // 8)


def _bid(
    row: int,
    indptr: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    price: np.ndarray,
    owner: np.ndarray,
    eps: int,
) -> int:
    """``row`` bids for its best column; returns the row it displaces, or -1."""
    best = -(2**62)
    second = -(2**62)
    chosen = -1
    for e in range(indptr[row], indptr[row + 1]):
        gain = values[e] - price[indices[e]]
        if gain > best:
            second = best
            best = gain
            chosen = indices[e]
        elif gain > second:
            second = gain
    if second == -(2**62):
        second = best
    price[chosen] += best - second + eps
    loser = owner[chosen]
    owner[chosen] = row
    return int(loser)


def _potentials(
    size: int,
    sigma: np.ndarray,
    row_of: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    assigned: np.ndarray,
) -> np.ndarray:
    """Bellman-Ford from every node at once, one numpy pass over all arcs per round."""
    order = np.argsort(indices, kind="stable")
    tail = sigma[row_of[order]]
    length = assigned[row_of[order]] - values[order]
    head = indices[order]
    starts = np.flatnonzero(np.concatenate(([True], head[1:] != head[:-1])))
    targets = head[starts]
    pot = np.zeros(size, dtype=np.int64)
    for _ in range(size + 1):
        best = np.minimum.reduceat(pot[tail] + length, starts)
        new = pot.copy()
        new[targets] = np.minimum(pot[targets], best)
        if np.array_equal(new, pot):
            break
        pot = new
    return pot


def _shortest_from_all(
    indptr: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    assigned: np.ndarray,
    owner: np.ndarray,
) -> np.ndarray:
    """The same distances by a queue of changed nodes (compiled): node t's arcs are the row
    assigned to it, t -> j of length assigned[row] - w(row, j); only nodes whose distance fell
    are scanned again, so a round costs what changed rather than every arc."""
    size = len(owner)
    pot = np.zeros(size, dtype=np.int64)
    queue = np.arange(size + 1, dtype=np.int64)
    waiting = np.ones(size, dtype=np.bool_)
    head = 0
    tail = size
    while head != tail:
        t = queue[head]
        head = head + 1 if head < size else 0
        waiting[t] = False
        row = owner[t]
        tail = _relax(pot, queue, waiting, tail, size, t, row, indptr, indices, values, assigned)
    return pot


def _relax(
    pot: np.ndarray,
    queue: np.ndarray,
    waiting: np.ndarray,
    tail: int,
    size: int,
    t: int,
    row: int,
    indptr: np.ndarray,
    indices: np.ndarray,
    values: np.ndarray,
    assigned: np.ndarray,
) -> int:
    """Lower the distances that node t's arcs improve and queue those nodes; new queue tail."""
    base = pot[t] + assigned[row]
    for e in range(indptr[row], indptr[row + 1]):
        j = indices[e]
        reach = base - values[e]
        if reach < pot[j]:
            pot[j] = reach
            if not waiting[j]:
                waiting[j] = True
                queue[tail] = j
                tail = tail + 1 if tail < size else 0
    return tail


def _solve_tight(
    mate: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray, rc2: np.ndarray
) -> None:
    """Solve exactly on the near-tight edges, with the slack chosen so the parts stay small."""
    n = len(mate)
    chosen: np.ndarray | None = None
    slack = 0
    while True:
        keep = rc2 <= slack
        _, label = _components(n, a[keep], b[keep])
        largest = int(np.bincount(label[a[keep]]).max()) if keep.any() else 0
        if largest > PART_LIMIT and chosen is not None:
            break
        chosen = keep
        if largest > PART_LIMIT or keep.all():
            break
        slack = 2 * slack + 2
    keep = chosen
    _, label = _components(n, a[keep], b[keep])
    _solve_parts(mate, a[keep], b[keep], w[keep], label[a[keep]])


def _repair(
    n: int, mate: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray, rc2: np.ndarray
) -> None:
    """Join exposed nodes in pairs by re-solving small windows around them.

    A breadth-first search grows alternating trees from every exposed node at once, along each
    node's few lowest-slack edges; where two trees meet an augmenting path is likely, and the
    union of the two trees is solved exactly.
    """
    heads = np.concatenate((a, b))
    tails = np.concatenate((b, a))
    slack = np.concatenate((rc2, rc2))
    edge = np.concatenate((np.arange(len(a)), np.arange(len(a))))
    order = np.lexsort((tails, slack, heads))
    heads, tails, edge = heads[order], tails[order], edge[order]
    ptr = np.searchsorted(heads, np.arange(n + 1))
    rank = np.arange(len(heads)) - ptr[heads]
    has_edge = np.zeros(n, dtype=bool)
    has_edge[heads] = True
    previous = -1
    for reach in (3, 6, 10):
        exposed = np.flatnonzero((mate < 0) & has_edge)
        if len(exposed) < 2 or (len(exposed) == previous and reach > 6):
            break
        previous = len(exposed)
        light = np.zeros(len(a), dtype=bool)
        light[edge[rank < reach]] = True
        light |= mate[a] == b
        windows = _grow_trees(n, mate, exposed, heads, tails, ptr, reach, a[light], b[light])
        if not windows:
            continue
        nodes = np.concatenate(windows)
        part = np.full(n, -1, dtype=np.int64)
        for k, win in enumerate(windows):
            part[win] = k
        sel = light & (part[a] >= 0) & (part[a] == part[b])
        mate[nodes] = -1
        _solve_parts(mate, a[sel], b[sel], w[sel], part[a[sel]])


def _grow_trees(
    n: int,
    mate: np.ndarray,
    roots: np.ndarray,
    heads: np.ndarray,
    tails: np.ndarray,
    ptr: np.ndarray,
    reach: int,
    la: np.ndarray,
    lb: np.ndarray,
) -> list[np.ndarray]:
    """Grow alternating trees from the exposed roots until trees meet; return, for each
    meeting pair of roots, the nodes of both trees (whole pairs only)."""
    owner = np.full(n, -1, dtype=np.int64)
    owner[roots] = roots
    done = np.zeros(n, dtype=bool)
    frontier = roots
    met: list[tuple[int, int]] = []
    size = len(roots)
    while len(frontier) and size < WINDOW_LIMIT * max(1, len(roots) // 2):
        lens = np.minimum(ptr[frontier + 1] - ptr[frontier], reach)
        offsets = np.repeat(ptr[frontier] - np.cumsum(lens) + lens, lens)
        near = tails[offsets + np.arange(lens.sum())]
        from_root = np.repeat(owner[frontier], lens)
        fresh = owner[near] < 0
        near, from_root = near[fresh], from_root[fresh]
        near, first = np.unique(near, return_index=True)
        from_root = from_root[first]
        owner[near] = from_root
        mates = mate[near]
        keep = (mates >= 0) & (owner[np.maximum(mates, 0)] < 0)
        mates, from_root = mates[keep], from_root[keep]
        owner[mates] = from_root
        _pair_up(owner, mate)
        size += len(near) + len(mates)
        for s1, s2 in _meetings(owner, la, lb, mate):
            if not done[s1] and not done[s2]:
                done[s1] = done[s2] = True
                met.append((s1, s2))
        frontier = mates[~done[owner[mates]]]
    windows = [np.flatnonzero((owner == s1) | (owner == s2)) for s1, s2 in met]
    # Huge windows cost the blossom solver far more than the one pair they might gain.
    return [win for win in windows if len(win) <= WINDOW_NODES]


def _pair_up(owner: np.ndarray, mate: np.ndarray) -> None:
    """Put both ends of every pair in the same tree, so re-solving never splits a pair."""
    x = np.flatnonzero((owner >= 0) & (mate >= 0))
    y = mate[x]
    lo, hi = np.minimum(x, y), np.maximum(x, y)
    pair_owner = np.where(owner[lo] >= 0, owner[lo], owner[hi])
    owner[lo] = pair_owner
    owner[hi] = pair_owner


def _meetings(
    owner: np.ndarray, a: np.ndarray, b: np.ndarray, mate: np.ndarray
) -> list[tuple[int, int]]:
    """Pairs of roots whose trees touch along an unmatched edge, closest roots first."""
    oa, ob = owner[a], owner[b]
    touch = (oa >= 0) & (ob >= 0) & (oa != ob) & (mate[a] != b)
    lo = np.minimum(oa[touch], ob[touch])
    hi = np.maximum(oa[touch], ob[touch])
    pairs = np.unique(np.stack((lo, hi), axis=1), axis=0) if len(lo) else np.zeros((0, 2), int)
    return [(int(x), int(y)) for x, y in pairs.tolist()]


def _certify(
    n: int, mate: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray, lp: _LP, exact: bool
) -> bool:
    """Prove the matching optimal, or make it so by solving the LP-pruned graph exactly."""
    matched = mate[a] == b
    exposed = np.flatnonzero(mate < 0)
    primal2 = 2 * int((w[matched] + lp.big).sum())
    if lp.odd and len(exposed):
        primal2 += 2 * lp.big
    gap2 = lp.ub2 - primal2
    if gap2 >= lp.big:
        return False
    rc2 = lp.dual2[a] + lp.dual2[b] - 2 * (w + lp.big)
    keep = rc2 <= gap2
    ka, kb, kw = a[keep], b[keep], w[keep]
    if lp.odd:
        dummy_rc2 = lp.dual2[:n] + lp.dual2[n] - 2 * lp.big
        near = np.flatnonzero(dummy_rc2 <= gap2)
        ka = np.concatenate((ka, near))
        kb = np.concatenate((kb, np.full(len(near), n, dtype=np.int64)))
        kw = np.concatenate((kw, np.zeros(len(near), dtype=np.int64)))
    if not exact and len(ka) > CERTIFY_EDGE_LIMIT:
        return False
    size = n + 1 if lp.odd else n
    _, label = _components(size, ka, kb)
    if not exact and int(np.bincount(label[ka]).max()) > PART_LIMIT:
        return False
    full = np.full(size, -1, dtype=np.int64)
    _solve_parts(full, ka, kb, kw, label[ka])
    mate[:] = full[:n]
    if lp.odd and full[n] >= 0:
        mate[full[n]] = -1
    return True


def augment_exposed(
    n: int,
    mate: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    w: np.ndarray,
    *,
    seconds: float = 60.0,
) -> int:
    """Pair up exposed nodes along augmenting paths, then re-solve each path's nodes exactly.

    Repair windows can be too large to solve, which left people alone who could have been
    paired. Edmonds' search for an augmenting path (with blossoms) finds them on the whole
    graph; the nodes of each path, re-solved by the blossom algorithm, keep every one of them
    paired and regain what the path's new pairs lost in weight. Returns the pairs gained.
    """
    if len(a) == 0:
        return 0
    heads = np.concatenate((a, b))
    tails = np.concatenate((b, a))
    order = np.argsort(heads, kind="stable")
    ptr = np.searchsorted(heads[order], np.arange(n + 1)).tolist()
    nbr = tails[order].tolist()
    match = mate.tolist()
    has_edge = np.zeros(n, dtype=bool)
    has_edge[heads] = True
    roots = [int(v) for v in np.flatnonzero((mate < 0) & has_edge)]
    deadline = time.monotonic() + seconds
    group = list(range(n))

    def find(x: int) -> int:
        while group[x] != x:
            group[x] = group[group[x]]
            x = group[x]
        return x

    touched: set[int] = set()
    # A search that finds no path leaves a tree that no later path can use (Edmonds), so
    # its nodes are skipped from then on and failed searches cost one pass over the graph.
    dead: set[int] = set()
    gained = 0
    for root in roots:
        if match[root] >= 0 or time.monotonic() > deadline:
            continue
        path = _augmenting_path(root, match, ptr, nbr, dead)
        if not path:
            continue
        gained += 1
        touched.update(path)
        first = find(path[0])
        for v in path[1:]:
            group[find(v)] = first
    if not gained:
        return 0
    nodes = np.array(sorted(touched), dtype=np.int64)
    label = np.full(n, -1, dtype=np.int64)
    label[nodes] = [find(int(v)) for v in nodes.tolist()]
    inside = (label[a] >= 0) & (label[a] == label[b])
    mate[:] = match
    mate[nodes] = -1
    _solve_parts(mate, a[inside], b[inside], w[inside], label[a[inside]])
    return gained


def _augmenting_path(
    root: int, match: list[int], ptr: list[int], nbr: list[int], dead: set[int]
) -> list[int]:
    """Edmonds' search from one exposed node; augments ``match`` and returns the path's nodes
    (empty when no augmenting path starts at ``root``, whose tree then joins ``dead``)."""
    parent: dict[int, int] = {}
    # Contracted blossoms as a union-find; ``label`` names each class's base.
    link: dict[int, int] = {}
    label: dict[int, int] = {}
    used = {root}
    queue = [root]
    head = 0

    def find(x: int) -> int:
        top = x
        while top in link:
            top = link[top]
        while x in link and link[x] != top:
            link[x], x = top, link[x]
        return top

    def base_of(x: int) -> int:
        top = find(x)
        return label.get(top, top)

    def common_base(x: int, y: int) -> int:
        seen: set[int] = set()
        while True:
            x = base_of(x)
            seen.add(x)
            if match[x] < 0:
                break
            x = parent[match[x]]
        while True:
            y = base_of(y)
            if y in seen:
                return y
            y = parent[match[y]]

    def mark(x: int, stop: int, child: int, bases: list[int]) -> None:
        while base_of(x) != stop:
            bases.append(base_of(x))
            bases.append(base_of(match[x]))
            parent[x] = child
            child = match[x]
            # The odd node on the path turns even inside the blossom: search from it too.
            if child not in used:
                used.add(child)
                queue.append(child)
            x = parent[match[x]]

    while head < len(queue):
        v = queue[head]
        head += 1
        for to in nbr[ptr[v] : ptr[v + 1]]:
            if to in dead or base_of(v) == base_of(to) or match[v] == to:
                continue
            if to == root or (match[to] >= 0 and match[to] in parent):
                stop = common_base(v, to)
                bases: list[int] = []
                mark(v, stop, to, bases)
                mark(to, stop, v, bases)
                top = find(stop)
                for x in bases:
                    other = find(x)
                    if other != top:
                        link[other] = top
                label[top] = stop
            elif to not in parent:
                parent[to] = v
                if match[to] < 0:
                    path: list[int] = []
                    x = to
                    while x >= 0:
                        px = parent[x]
                        nxt = match[px]
                        match[x] = px
                        match[px] = x
                        path += [x, px]
                        x = nxt
                    return path
                used.add(match[to])
                queue.append(match[to])
    dead.update(used)
    dead.update(parent)
    return []
