"""The survey's mean-score chart; counts use the shared stacked-bar chart of core.charts."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure

from tandem.core.charts import PALETTE, RC, Chart
from tandem.core.suppression import K


def _fmt(value: float | None) -> str:
    return "suppressed" if value is None else f"{value:.2f}"


def means_chart(
    *,
    title: str,
    labels: Sequence[str],
    means: Sequence[float | None],
    people: Sequence[int | None],
    score_range: tuple[float, float],
) -> Chart:
    """One bar per wave at its mean score; waves of fewer than K people have no bar."""

    def draw() -> Figure:
        with matplotlib.rc_context(RC):
            figure = Figure(figsize=(6.4, 4.0), layout="constrained")
            axes = figure.add_subplot()
            positions = list(range(len(labels)))
            heights = [value if value is not None else 0 for value in means]
            bottom = score_range[0]
            axes.bar(
                positions,
                [height - bottom if height else 0 for height in heights],
                bottom=bottom,
                color=PALETTE[0],
                edgecolor="#ffffff",
            )
            for position, value in zip(positions, means, strict=True):
                text = f"fewer than {K}" if value is None else f"{value:.2f}"
                axes.text(position, bottom, f" {text}", rotation=90, va="bottom", ha="center")
            axes.set_xticks(positions, list(labels))
            top = score_range[1] if score_range[1] > bottom else bottom + 1
            axes.set_ylim(bottom, top)
            axes.set_ylabel("Mean score")
            axes.grid(axis="y", color="#d5d9e0", linewidth=0.8)
            axes.set_axisbelow(True)
            axes.set_title(title, loc="left")
        return figure

    rows = tuple(
        (label, _fmt(mean), "suppressed" if count is None else str(count))
        for label, mean, count in zip(labels, means, people, strict=True)
    )
    shown = [
        f"{label} {mean:.2f}" for label, mean in zip(labels, means, strict=True) if mean is not None
    ]
    alt = f"{title}, on a scale from {score_range[0]:g} to {score_range[1]:g}: "
    alt += "; ".join(shown) if shown else "no wave has enough people to show a mean"
    hidden = sum(1 for mean in means if mean is None)
    alt += f"; {hidden} waves with fewer than {K} people are left out." if hidden else "."
    return Chart(
        title=title, alt=alt, header=("Wave", "Mean score", "People"), rows=rows, draw=draw
    )
