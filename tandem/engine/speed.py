"""Speed-mentoring rotations: who meets whom in each timed round of an event.

Each round pairs as many people as possible who have not met yet and may be paired at all
(stage gap, evaluator lines, blocked pairs, previous partners), favouring whoever has had the
fewest conversations so far, so everyone meets several peers and nobody sits out twice early.
"""

from __future__ import annotations

from collections.abc import Sequence

import rustworkx as rx

from tandem.engine.feasibility import Feasibility
from tandem.engine.model import Constraints, MatchConfig, Participant


def rotation_schedule(
    participants: Sequence[Participant],
    config: MatchConfig,
    constraints: Constraints | None = None,
    *,
    rounds: int,
) -> list[list[tuple[str, str]]]:
    """``rounds`` lists of (id, id) meetings; nobody meets twice, nobody twice in one round."""
    if rounds < 1:
        raise ValueError("An event needs at least one round.")
    people = sorted(participants, key=lambda p: p.id)
    index = {p.id: i for i, p in enumerate(people)}
    feasibility = Feasibility(people, config, constraints or Constraints(), index)
    n = len(people)
    allowed = [(i, j) for i in range(n) for j in range(i + 1, n) if feasibility.pair_ok(i, j)]
    met: set[tuple[int, int]] = set()
    talks = [0] * n
    schedule: list[list[tuple[str, str]]] = []
    for _ in range(rounds):
        graph = rx.PyGraph()
        graph.add_nodes_from(range(n))
        # Fewer conversations so far weigh more; every pair weighs more than any tie-break.
        for i, j in allowed:
            if (i, j) not in met:
                graph.add_edge(i, j, 4 * rounds + 2 - talks[i] - talks[j])
        chosen = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
        meetings = sorted((min(a, b), max(a, b)) for a, b in chosen)
        for i, j in meetings:
            met.add((i, j))
            talks[i] += 1
            talks[j] += 1
        schedule.append([(people[i].id, people[j].id) for i, j in meetings])
    return schedule
