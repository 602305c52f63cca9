"""Bring-your-own-scores matching: an exactly optimal matching of a weighted edge list.

Weights are read as decimals and scaled to integers, so the optimum is exact rather than
subject to floating-point ties, and the reported total is the exact decimal sum.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

import numpy as np

from tandem.engine.matching import max_weight_matching

Weight = int | float | Decimal | str

# More decimals than this would make the scaled integers unwieldy without changing any choice.
_MAX_DECIMALS = 9


class EdgeError(ValueError):
    """An edge list that cannot be solved; ``index`` is the 0-based position of the bad edge."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index
        self.message = message


def to_decimal(value: Weight) -> Decimal:
    """A weight as an exact, finite Decimal (floats via their shortest repr)."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a number") from exc
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def solve_edges(
    edges: Iterable[tuple[str, str, Weight]],
) -> tuple[list[tuple[str, str, Decimal]], Decimal]:
    """Maximum-cardinality matching of maximum total weight, exactly; returns pairs and total.

    Each edge is (a, b, weight) with string ids; higher weight is better. Pairs keep the
    orientation of their input edge and come in input order.
    """
    ids: dict[str, int] = {}
    seen: dict[tuple[int, int], int] = {}
    heads: list[int] = []
    tails: list[int] = []
    values: list[Decimal] = []
    oriented: list[tuple[str, str]] = []
    for k, (a, b, weight) in enumerate(edges):
        a, b = str(a), str(b)
        if a == b:
            raise EdgeError(k, f"{a!r} is paired with itself")
        try:
            value = to_decimal(weight)
        except ValueError as exc:
            raise EdgeError(k, str(exc)) from exc
        ia = ids.setdefault(a, len(ids))
        ib = ids.setdefault(b, len(ids))
        key = (min(ia, ib), max(ia, ib))
        if key in seen:
            raise EdgeError(
                k, f"the pair {a!r}, {b!r} appears twice (first as edge {seen[key] + 1})"
            )
        seen[key] = k
        heads.append(key[0])
        tails.append(key[1])
        values.append(value)
        oriented.append((a, b))
    if not values:
        return [], Decimal(0)
    decimals = max(0, max(-int(v.as_tuple().exponent) for v in values))
    if decimals > _MAX_DECIMALS:
        raise EdgeError(0, f"weights may have at most {_MAX_DECIMALS} decimals")
    scale = Decimal(10) ** decimals
    scaled = [int(v * scale) for v in values]
    outcome = max_weight_matching(
        len(ids),
        np.array(heads, dtype=np.int64),
        np.array(tails, dtype=np.int64),
        np.array(scaled, dtype=np.int64),
        exact=True,
    )
    mate = outcome.mate
    chosen = [k for k in range(len(values)) if mate[heads[k]] == tails[k]]
    pairs = [(oriented[k][0], oriented[k][1], values[k]) for k in chosen]
    return pairs, sum((values[k] for k in chosen), Decimal(0))
