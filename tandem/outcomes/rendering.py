"""Turning an EvaluationReport into what the page and the standalone HTML file show.

Numbers are formatted here once, so the web page and ``tandem report`` print the same text.
The chart is inlined as SVG so the saved file and its PDF print need nothing else.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from tandem.core.suppression import K, SuppressedTable
from tandem.outcomes import stats
from tandem.outcomes.report import Analysis, EvaluationReport, RateRow

PRINT_CSS = Path(__file__).parent / "static" / "outcomes" / "report.css"


def percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def estimate_percent(estimate: stats.Estimate | None, *, signed: bool = False) -> str:
    if estimate is None:
        return "—"
    sign = "+" if signed and estimate.value > 0 else ""
    return (
        f"{sign}{100 * estimate.value:.1f} points (95% CI {100 * estimate.lower:.1f} to "
        f"{100 * estimate.upper:.1f})"
        if signed
        else f"{percent(estimate.value)} (95% CI {percent(estimate.lower)}–"
        f"{percent(estimate.upper)})"
    )


def estimate_number(estimate: stats.Estimate | None, digits: int = 2) -> str:
    if estimate is None:
        return "—"
    return (
        f"{estimate.value:.{digits}f} (95% CI {estimate.lower:.{digits}f} to "
        f"{estimate.upper:.{digits}f})"
    )


def p_value(result: stats.TestResult | stats.HazardRatio | None) -> str:
    if result is None:
        return "—"
    return "p < 0.001" if result.p_value < 0.001 else f"p = {result.p_value:.3f}"


def hazard_ratio(ratio: stats.HazardRatio | None) -> str | None:
    """The ratio with its interval and p-value; None when it cannot be estimated."""
    if ratio is None:
        return None
    return f"{estimate_number(ratio.estimate)}, {p_value(ratio)}"


def months_difference(estimate: stats.Estimate) -> str:
    return f"{estimate.value:+.1f} months (95% CI {estimate.lower:.1f} to {estimate.upper:.1f})"


def analysis_context(analysis: Analysis) -> dict[str, Any]:
    """The estimates shared by the main (intention-to-treat) analysis and the per-protocol one."""
    return {
        "hazard_ratio": hazard_ratio(analysis.hazard_ratio),
        "hazard_ratio_adjusted": hazard_ratio(analysis.hazard_ratio_adjusted),
        "adjusted_for": analysis.adjusted_for,
        "proportional": analysis.hazard_ratio.proportional if analysis.hazard_ratio else None,
        "proportional_p": (
            f"{analysis.hazard_ratio.check_p_value:.3f}"
            if analysis.hazard_ratio and analysis.hazard_ratio.check_p_value is not None
            else None
        ),
        "retention_differences": [
            (months, estimate_percent(estimate, signed=True))
            for months, estimate in analysis.retention_differences
        ],
        "restricted_mean": (
            (f"{analysis.restricted_mean[0]:.0f}", months_difference(analysis.restricted_mean[1]))
            if analysis.restricted_mean
            else None
        ),
        "log_rank": analysis.log_rank,
        "log_rank_p": p_value(analysis.log_rank),
        "time_varying": hazard_ratio(analysis.time_varying),
        "time_varying_people": analysis.time_varying_people,
    }


def incidence(point: stats.IncidencePoint) -> str:
    return f"{percent(point.incidence)} ({percent(point.lower)}–{percent(point.upper)})"


def incidence_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """Cumulative incidence of first promotion, withheld where a promotion count is hidden."""
    if not analysis.promotion_incidence_shown:
        return []
    return [
        {
            "months": row.months,
            "cells": [incidence(cell) for cell in row.cells],
            "difference": estimate_percent(row.difference, signed=True),
        }
        for row in analysis.promotion_incidence
    ]


def rate_rows(rows: list[RateRow]) -> list[tuple[str, str, str, str]]:
    return [
        (row.label, f"{row.count:.1f}", f"{row.person_years:.1f}", estimate_number(row.rate))
        for row in rows
    ]


def table_rows(table: SuppressedTable | None) -> list[dict[str, Any]]:
    if table is None:
        return []
    return [
        {"label": label, "cells": cells, "total": total} for label, cells, total in table.rows()
    ]


def inline_svg(svg: bytes, prefix: str) -> SafeString:
    """The chart's SVG with its ids made unique on the page (svg_bytes uses fixed ones)."""
    text = svg.decode("utf-8")
    text = text.split("<svg", 1)[1]
    text = "<svg" + text
    text = text.replace("chart-title", f"{prefix}-title").replace("chart-desc", f"{prefix}-desc")
    return mark_safe(text)  # noqa: S308 - our own matplotlib output, titles escaped in svg_bytes


def report_context(report: EvaluationReport) -> dict[str, Any]:
    cohort = report.cohort
    context: dict[str, Any] = {
        "report": report,
        "program": cohort.program,
        "cohort": cohort,
        "group_sizes": table_rows(report.group_sizes),
        "flow": report.flow,
        "study": report.study,
    }
    if not report.analysable:
        return context
    chart = report.chart()
    context.update(
        {
            "chart": chart,
            "chart_svg": inline_svg(chart.svg, "retention-chart"),
            "retention_counts": table_rows(report.retention_counts),
            "time_points": [
                {
                    "months": point.months,
                    "cells": [
                        {
                            "estimate": f"{percent(step.survival)} ({percent(step.lower)}–"
                            f"{percent(step.upper)})"
                            if step
                            else "—",
                            "at_risk": at_risk,
                        }
                        for step, at_risk in point.cells
                    ],
                }
                for point in report.time_points
            ],
            **analysis_context(report),
            "promotion_counts": table_rows(report.promotion_counts),
            "promotion": [
                (group.label, estimate_percent(report.promotion.get(group.label)))
                for group in report.groups
            ],
            # None when withheld, so the page explains why rather than printing "—" with
            # an interval's name after it.
            "promotion_difference": (
                estimate_percent(report.promotion_difference, signed=True)
                if report.promotion_difference is not None
                else None
            ),
            "promotion_hazard_ratio": hazard_ratio(report.promotion_hazard_ratio),
            "promotion_incidence": incidence_rows(report),
            "group_labels": [group.label for group in report.groups],
            "promotion_hazard_ratio_adjusted": hazard_ratio(report.promotion_hazard_ratio_adjusted),
            "publication_rates": rate_rows(report.publication_rates),
            "publication_ratio": estimate_number(report.publication_ratio),
            "publication_method": report.publications.method if report.publications else "",
            "publication_ratio_adjusted": (
                estimate_number(report.publication_ratio_adjusted)
                if report.publication_ratio_adjusted
                else None
            ),
            "grant_rates": rate_rows(report.grant_rates),
            "grant_ratio": estimate_number(report.grant_ratio),
            "grant_method": report.grants.method if report.grants else "",
            "per_protocol": (
                analysis_context(report.per_protocol) if report.per_protocol else None
            ),
            "survey_rows": [
                (
                    row.label,
                    f"fewer than {K} people with both scores"
                    if row.suppressed
                    else (
                        f"{row.change.mean:+.2f} (95% CI {row.change.lower:.2f} to "
                        f"{row.change.upper:.2f}), n = {row.change.n}"
                        if row.change
                        else "—"
                    ),
                )
                for row in report.survey_rows
            ],
            "survey_difference": estimate_number(report.survey_difference),
            "power": report.power,
            "power_baseline": (
                (report.power_baseline[0], percent(report.power_baseline[1]))
                if report.power_baseline
                else None
            ),
            "detectable_difference": (
                f"{100 * report.detectable_retention_difference:.0f} percentage points"
                if report.detectable_retention_difference is not None
                else "—"
            ),
        }
    )
    return context


STANDALONE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{css}
</style>
</head>
<body class="report-standalone">
<main>
{body}
</main>
</body>
</html>
"""


def report_html(report: EvaluationReport) -> str:
    """A self-contained HTML file of the report, with its print styles inlined.

    The page is built here rather than in a template: the file is opened from disk, never
    served, and templates carry no inline style (the strict CSP of the web pages).
    """
    body = render_to_string("outcomes/_report_body.html", report_context(report))
    title = f"Evaluation report — {report.cohort.name} — {report.cohort.program.name}"
    return STANDALONE.format(
        title=escape(title), css=PRINT_CSS.read_text(encoding="utf-8"), body=body
    )
