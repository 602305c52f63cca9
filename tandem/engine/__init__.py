"""Tandem's matching engine: reciprocal, safe peer pairs, triads and circles, without Django.

The web app and the ``tandem match`` / ``tandem solve`` commands call the same stable API:

- ``Participant``, ``MatchConfig`` (with ``Weights``), ``Constraints`` (``ForbiddenPair``s and
  locked groups) describe a cohort;
- ``run_match(participants, config, constraints=None, *, progress=None) -> MatchResult``
  matches it; ``progress(stage, fraction)`` is called with a stage name and 0..1;
- ``MatchResult`` holds ``groups`` (members, score, components, reasons, warnings, locked),
  ``unmatched`` (id, reason) and ``metrics`` (total, mean, min, coverage, blocking_pairs,
  upper_bound, stable, optimal), and ``to_json_dict()`` gives the documented JSON;
- ``score_group(participants, member_ids, config, constraints=None) -> GroupScore`` rescores
  one hand-made group at once;
- ``solve_edges(edges) -> (pairs, total)`` matches a bring-your-own-score edge list exactly;
- ``tandem.engine.roster.parse_roster(text_or_lines, *, ladder, topics, require_contact)``
  validates a roster CSV and returns ``(rows, errors)``;
- ``tandem.engine.defaults`` holds ``DEFAULT_LADDER``, ``DEFAULT_TOPICS`` and
  ``DEFAULT_WEIGHTS``; ``tandem.engine.cli`` holds ``match_main`` and ``solve_main``.
"""

from __future__ import annotations

from tandem.engine.model import (
    Constraints,
    ForbiddenPair,
    Group,
    GroupScore,
    MatchConfig,
    MatchInputError,
    MatchResult,
    Metrics,
    Participant,
    Unmatched,
    Weights,
)
from tandem.engine.pipeline import run_match, score_group
from tandem.engine.solve import solve_edges

__all__ = [
    "Constraints",
    "ForbiddenPair",
    "Group",
    "GroupScore",
    "MatchConfig",
    "MatchInputError",
    "MatchResult",
    "Metrics",
    "Participant",
    "Unmatched",
    "Weights",
    "run_match",
    "score_group",
    "solve_edges",
]
