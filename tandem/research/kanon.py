"""k-anonymity for the research export by full-domain generalisation plus record suppression.

Each quasi-identifier has a hierarchy of ever coarser values (exact → grouped → ``*``). The
search walks the lattice of levels from the least to the most general and takes the first
node where every combination of quasi-identifiers is shared by at least k records, allowing
a few records (at most ``budget``) to have all their quasi-identifiers suppressed — which is
only allowed if those records form a group of at least k themselves. No Django import.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

SUPPRESSED = "*"

# A generaliser maps a value to a coarser one; it sees how often each raw value occurs.
Generaliser = Callable[[str, Mapping[str, int]], str]


def exact(value: str, counts: Mapping[str, int]) -> str:
    return value


def suppressed(value: str, counts: Mapping[str, int]) -> str:
    return SUPPRESSED


def rare_as_other(k: int) -> Generaliser:
    def generalise(value: str, counts: Mapping[str, int]) -> str:
        return value if counts[value] >= k else "Other"

    return generalise


@dataclass(frozen=True)
class Anonymised:
    records: tuple[dict[str, str], ...]
    levels: dict[str, int]
    suppressed_records: int
    k: int

    def smallest_group(self, names: Sequence[str]) -> int:
        groups = Counter(tuple(record[name] for name in names) for record in self.records)
        return min(groups.values()) if groups else 0


def anonymise(
    records: Sequence[Mapping[str, str]],
    hierarchies: Mapping[str, Sequence[Generaliser]],
    *,
    k: int,
    budget_share: float = 0.05,
) -> Anonymised:
    """Generalise the quasi-identifiers named in ``hierarchies`` until every group holds ≥ k.

    Hierarchies must end with :func:`suppressed`, so the most general node (every value ``*``)
    always qualifies. With fewer than k records nothing can be released: none are returned.
    """
    names = list(hierarchies)
    if len(records) < k:
        return Anonymised(records=(), levels=dict.fromkeys(names, -1), suppressed_records=0, k=k)
    counts = {name: Counter(record[name] for record in records) for name in names}
    budget = int(len(records) * budget_share)
    nodes = sorted(
        itertools.product(*(range(len(hierarchies[name])) for name in names)),
        key=lambda levels: (sum(levels), levels),
    )
    for levels in nodes:
        keys = [
            tuple(
                hierarchies[name][level](record[name], counts[name])
                for name, level in zip(names, levels, strict=True)
            )
            for record in records
        ]
        groups = Counter(keys)
        small = [index for index, key in enumerate(keys) if groups[key] < k]
        if len(small) > budget:
            continue
        all_stars = (SUPPRESSED,) * len(names)
        for index in small:
            keys[index] = all_stars
        if small and Counter(keys)[all_stars] < k:
            continue
        released = []
        for record, key in zip(records, keys, strict=True):
            updated = dict(record)
            updated.update(zip(names, key, strict=True))
            released.append(updated)
        return Anonymised(
            records=tuple(released),
            levels=dict(zip(names, levels, strict=True)),
            suppressed_records=len(small),
            k=k,
        )
    raise AssertionError("The most general node always qualifies; hierarchies must end with *.")
