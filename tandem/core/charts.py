"""Charts drawn on the server with matplotlib, as SVG that a strict CSP can show.

Every chart comes with a text alternative and its data as rows (and CSV), so the figure is
never the only way to read it. Output is deterministic: the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import matplotlib
from matplotlib.dates import AutoDateLocator, DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tandem.core.csvio import csv_text
from tandem.core.suppression import K

# Colour-blind-safe (Okabe–Ito), dark enough on white for WCAG non-text contrast (3:1).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9", "#000000")
# Burnout levels 1 (none) to 5 (completely), light-to-dark blues then warm: ordered and distinct.
ORDERED_PALETTE = ("#1A7F4B", "#7FB77E", "#B8B8B8", "#E08A3C", "#B2182B")

RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "tandem-charts",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 11,
    "axes.edgecolor": "#4a5263",
    "axes.labelcolor": "#1d2330",
    "xtick.color": "#1d2330",
    "ytick.color": "#1d2330",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(eq=False)
class Chart:
    """A text alternative for ``alt``, the plotted data, and the SVG drawn when first asked for.

    Drawing takes a good part of a second, so pages that only need ``alt`` never pay for it.
    """

    title: str
    alt: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    draw: Callable[[], Figure]

    @functools.cached_property
    def svg(self) -> bytes:
        return svg_bytes(self.draw(), title=self.title, description=self.alt)

    def csv(self) -> str:
        return csv_text(self.header, self.rows)


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>.*?</style>", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


def _presentation_attributes(match: re.Match[str]) -> str:
    """``style="fill: #fff; stroke: none"`` becomes ``fill="#fff" stroke="none"``.

    Presentation attributes are not subject to the CSP's style-src, inline styles are.
    """
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            attributes.append(f' {name.strip()}="{value.strip()}"')
    return "".join(attributes)


def svg_bytes(figure: Figure, *, title: str, description: str) -> bytes:
    """Render a figure to SVG without inline styles, dates or random ids."""
    buffer = io.StringIO()
    with matplotlib.rc_context(RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = _METADATA.sub("", text)
    text = _STYLE_ELEMENT.sub("", text)
    text = _STYLE_ATTRIBUTE.sub(_presentation_attributes, text)
    text = text.replace("<defs>\n </defs>", "")
    accessible = (
        f' role="img" aria-labelledby="chart-title chart-desc"'
        f' stroke-linejoin="round" stroke-linecap="butt">\n'
        f' <title id="chart-title">{escape(title)}</title>\n'
        f' <desc id="chart-desc">{escape(description)}</desc>'
    )
    # A plain replace: titles may hold backslashes that re.sub would read as group references.
    text = text.replace('version="1.1">', 'version="1.1"' + accessible, 1)
    return text.encode("utf-8")


def _figure(width: float = 6.4, height: float = 4.0) -> Figure:
    with matplotlib.rc_context(RC):
        return Figure(figsize=(width, height), layout="constrained")


def trend_chart(
    *,
    title: str,
    dates: Sequence[dt.date],
    series: Sequence[tuple[str, Sequence[int]]],
    y_labels: Sequence[str],
    empty_message: str = "Nothing to show yet.",
) -> Chart:
    """Lines over time on a 1..len(y_labels) scale, one per series, with markers."""

    def draw() -> Figure:
        figure = _figure()
        with matplotlib.rc_context(RC):
            axes = figure.add_subplot()
            scale = range(1, len(y_labels) + 1)
            markers = ("o", "s", "^", "D")
            for index, (name, values) in enumerate(series):
                axes.plot(
                    date2num(list(dates)),
                    list(values),
                    label=name,
                    color=PALETTE[index % len(PALETTE)],
                    marker=markers[index % len(markers)],
                    linewidth=2,
                )
            axes.set_ylim(0.6, len(y_labels) + 0.4)
            axes.set_yticks(list(scale), list(y_labels))
            axes.grid(axis="y", color="#d5d9e0", linewidth=0.8)
            axes.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=5))
            axes.xaxis.set_major_formatter(DateFormatter("%d %b"))
            if dates:
                axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
                if len(dates) == 1:
                    day = dates[0]
                    week = dt.timedelta(days=7)
                    axes.set_xlim(float(date2num(day - week)), float(date2num(day + week)))
            else:
                axes.set_xticks([])
                axes.text(0.5, 0.5, empty_message, transform=axes.transAxes, ha="center")
            axes.set_title(title, loc="left")
        return figure

    header = ("Date", *(name for name, _ in series))
    rows = tuple(
        (day.isoformat(), *(str(values[k]) for _, values in series)) for k, day in enumerate(dates)
    )
    if dates:
        parts = [
            f"{name} went from {values[0]} to {values[-1]} (lowest {min(values)}, "
            f"highest {max(values)})"
            for name, values in series
        ]
        alt = (
            f"{title}: {len(dates)} point{'' if len(dates) == 1 else 's'} from "
            f"{dates[0]:%d %b %Y} to {dates[-1]:%d %b %Y}; " + "; ".join(parts) + "."
        )
    else:
        alt = f"{title}: {empty_message}"
    return Chart(title=title, alt=alt, header=header, rows=rows, draw=draw)


def stacked_bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    y_label: str,
    note: str = "",
) -> Chart:
    """Stacked bars per category; ``None`` values (suppressed) are left out, never guessed."""
    hidden = sum(1 for _, values in series for value in values if value is None)
    empty = (
        f"No bars: every count here is withheld\nbecause it covers 1 to {K - 1} people"
        if hidden
        else "Nothing to count yet"
    )

    def draw() -> Figure:
        figure = _figure(height=4.4)
        with matplotlib.rc_context(RC):
            axes = figure.add_subplot()
            positions = list(range(len(categories)))
            bottoms = [0] * len(categories)
            colours = ORDERED_PALETTE if len(series) <= len(ORDERED_PALETTE) else PALETTE
            for index, (name, values) in enumerate(series):
                heights = [value or 0 for value in values]
                axes.bar(
                    positions,
                    heights,
                    bottom=bottoms,
                    label=name,
                    color=colours[index % len(colours)],
                    edgecolor="#ffffff",
                    linewidth=0.6,
                )
                bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
            crowded = len(categories) > 6
            axes.set_xticks(positions, list(categories), rotation=45 if crowded else 0)
            for label in axes.get_xticklabels():
                label.set_horizontalalignment("right" if crowded else "center")
            axes.set_ylabel(y_label)
            if not any(bottoms):
                # An empty 0-to-1 axis would read as a broken chart: say why there are no bars.
                axes.set_ylim(bottom=0, top=1)
                axes.set_yticks([])
                axes.text(
                    0.5, 0.5, empty, transform=axes.transAxes, ha="center", va="center", wrap=True
                )
            else:
                axes.set_ylim(bottom=0, top=max(bottoms) * 1.05)
                axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.grid(axis="y", color="#d5d9e0", linewidth=0.8)
            axes.set_axisbelow(True)
            axes.legend(
                loc="upper center",
                bbox_to_anchor=(0.5, -0.3 if crowded else -0.15),
                ncol=min(len(series), 3),
                frameon=False,
            )
            axes.set_title(title, loc="left")
        return figure

    def shown(value: int | None) -> str:
        return "suppressed" if value is None else str(value)

    header = ("Category", *(name for name, _ in series))
    rows = tuple(
        (category, *(shown(values[k]) for _, values in series))
        for k, category in enumerate(categories)
    )
    alt = f"{title}: stacked bars for {len(categories)} periods and {len(series)} groups"
    alt += f"; {hidden} suppressed values are left out." if hidden else "."
    if not any(value for _, values in series for value in values):
        alt += " " + empty.replace("\n", " ") + "."
    if note:
        alt += f" {note}"
    return Chart(title=title, alt=alt, header=header, rows=rows, draw=draw)
