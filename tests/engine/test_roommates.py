"""Irving's stable roommates algorithm on the published instances and against brute force."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engine.roommates import _mutual_lists, blocking_pairs, stable_roommates


def one_based(table: list[list[int]]) -> list[list[int]]:
    return [[x - 1 for x in row] for row in table]


# Irving (1985), "An efficient algorithm for the stable roommates problem", J. Algorithms 6.
IRVING_6 = one_based(
    [
        [4, 6, 2, 5, 3],
        [6, 3, 5, 1, 4],
        [4, 5, 1, 6, 2],
        [2, 6, 5, 1, 3],
        [4, 2, 3, 6, 1],
        [5, 1, 4, 2, 3],
    ]
)
IRVING_8 = one_based(
    [
        [2, 5, 4, 6, 7, 8, 3],
        [3, 6, 1, 7, 8, 5, 4],
        [4, 7, 2, 8, 5, 6, 1],
        [1, 8, 3, 5, 6, 7, 2],
        [6, 1, 8, 2, 3, 4, 7],
        [7, 2, 5, 3, 4, 1, 8],
        [8, 3, 6, 4, 1, 2, 5],
        [5, 4, 7, 1, 2, 3, 6],
    ]
)
# The classic instance with no stable matching (Gale and Shapley 1962, discussed by Irving):
# 1, 2 and 3 each rank the next one first, and everyone ranks 4 last.
NO_STABLE_4 = one_based(
    [
        [2, 3, 4],
        [3, 1, 4],
        [1, 2, 4],
        [1, 2, 3],
    ]
)


# A larger instance without a stable matching, confirmed by brute force below.
NO_STABLE_8 = one_based(
    [
        [2, 3, 5, 6, 7, 4, 8],
        [6, 3, 1, 4, 8, 7, 5],
        [1, 7, 2, 5, 8, 4, 6],
        [2, 5, 8, 3, 7, 6, 1],
        [1, 6, 4, 3, 2, 8, 7],
        [1, 7, 5, 2, 3, 4, 8],
        [8, 6, 3, 4, 1, 5, 2],
        [4, 2, 7, 1, 5, 3, 6],
    ]
)


def matchings(people: list[int], lists: list[list[int]]) -> Iterator[dict[int, int]]:
    if not people:
        yield {}
        return
    first, rest = people[0], people[1:]
    yield from matchings(rest, lists)
    for other in rest:
        if other in lists[first]:
            for m in matchings([p for p in rest if p != other], lists):
                yield {**m, first: other, other: first}


def stable_ones(prefs: list[list[int]]) -> list[dict[int, int]]:
    lists = _mutual_lists(prefs)
    return [m for m in matchings(list(range(len(prefs))), lists) if blocking_pairs(prefs, m) == 0]


def test_irving_six_has_its_unique_stable_matching() -> None:
    result = stable_roommates(IRVING_6)
    assert result == {0: 5, 5: 0, 1: 2, 2: 1, 3: 4, 4: 3}
    assert stable_ones(IRVING_6) == [result]


def test_irving_eight_returns_one_of_its_stable_matchings() -> None:
    result = stable_roommates(IRVING_8)
    assert result is not None
    assert len(result) == 8
    assert blocking_pairs(IRVING_8, result) == 0
    assert result in stable_ones(IRVING_8)


def test_instances_without_stable_matching_are_reported() -> None:
    for prefs in (NO_STABLE_4, NO_STABLE_8):
        assert stable_ones(prefs) == []
        assert stable_roommates(prefs) is None


def test_blocking_pairs_counts_each_pair_once() -> None:
    # With 0-3 and 1-2 together, 0 would rather have 1 or 2, and both would rather have 0.
    prefs = one_based([[2, 3, 4], [1, 3, 4], [1, 2, 4], [1, 2, 3]])
    assert blocking_pairs(prefs, {0: 3, 3: 0, 1: 2, 2: 1}) == 2  # 0-1 and 0-2 block


@st.composite
def instances(draw: st.DrawFn) -> list[list[int]]:
    n = draw(st.integers(1, 8))
    prefs = []
    for x in range(n):
        others = draw(st.permutations([y for y in range(n) if y != x]))
        cut = draw(st.integers(0, len(others)))
        prefs.append(list(others[:cut]))
    return prefs


@settings(max_examples=400, deadline=None)
@given(instances())
def test_agrees_with_brute_force_on_incomplete_lists(prefs: list[list[int]]) -> None:
    stable = stable_ones(prefs)
    result = stable_roommates(prefs)
    if stable:
        assert result in stable
    else:
        assert result is None


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 9), st.data())
def test_symmetric_scores_always_have_the_greedy_stable_matching(
    n: int, data: st.DataObject
) -> None:
    scores = data.draw(st.lists(st.integers(0, 10**6), min_size=n * n, max_size=n * n, unique=True))
    score = {
        (min(i, j), max(i, j)): scores[i * n + j] for i in range(n) for j in range(n) if i != j
    }
    prefs = [
        sorted((j for j in range(n) if j != i), key=lambda j: -score[min(i, j), max(i, j)])
        for i in range(n)
    ]
    greedy: dict[int, int] = {}
    for (i, j), _ in sorted(score.items(), key=lambda kv: -kv[1]):
        if i not in greedy and j not in greedy:
            greedy[i], greedy[j] = j, i
    assert stable_roommates(prefs) == greedy


def brute_fewest_blocking(prefs: list[list[int]]) -> int:
    """Fewest blocking pairs over every matching with the most mutually acceptable pairs."""
    lists = _mutual_lists(prefs)
    edges = sorted({(min(x, y), max(x, y)) for x, lst in enumerate(lists) for y in lst})
    found: list[tuple[int, int]] = []  # (pairs, blocking)

    def walk(k: int, used: set[int], partner: dict[int, int]) -> None:
        if k == len(edges):
            found.append((len(partner) // 2, blocking_pairs(prefs, partner)))
            return
        walk(k + 1, used, partner)
        x, y = edges[k]
        if x not in used and y not in used:
            walk(k + 1, used | {x, y}, {**partner, x: y, y: x})

    walk(0, set(), {})
    most = max(p for p, _ in found)
    return min(b for p, b in found if p == most)


@st.composite
def rankings(draw: st.DrawFn) -> list[list[int]]:
    n = draw(st.integers(4, 8))
    table = []
    for x in range(n):
        others = [y for y in range(n) if y != x]
        order = draw(st.permutations(others))
        table.append(list(order[: draw(st.integers(len(others) - 1, len(others)))]))
    return table


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(rankings())
def test_without_a_stable_matching_mutual_mode_has_the_fewest_blocking_pairs(prefs) -> None:
    from hypothesis import assume

    from tandem.engine import MatchConfig, Participant, run_match

    assume(stable_roommates(prefs) is None)
    people = [
        Participant(id=f"p{x}", stage=0, ranking=tuple(f"p{y}" for y in prefs[x]))
        for x in range(len(prefs))
    ]
    result = run_match(people, MatchConfig(mode="mutual"))
    assert result.metrics.stable is False
    assert result.metrics.blocking_pairs == brute_fewest_blocking(prefs)
    assert any("fewest blocking pairs" in note for note in result.notes)


def test_fewest_blocking_can_cost_score_and_the_coordinator_may_prefer_score() -> None:
    from tandem.engine import MatchConfig, Participant, run_match

    people = [
        Participant(id=f"p{x}", stage=0, ranking=tuple(f"p{y}" for y in NO_STABLE_8[x]))
        for x in range(8)
    ]
    fewest = run_match(people, MatchConfig(mode="mutual"))
    by_score = run_match(people, MatchConfig(mode="mutual", mutual_objective="highest_score"))
    assert fewest.metrics.blocking_pairs <= by_score.metrics.blocking_pairs
    assert fewest.metrics.blocking_pairs == brute_fewest_blocking(NO_STABLE_8)
