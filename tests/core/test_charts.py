"""Server-side SVG charts: deterministic, shown by a strict CSP, and readable without the image."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from tandem.core.charts import stacked_bar_chart, trend_chart
from tandem.wellbeing import services

DATES = [dt.date(2026, 1, 5), dt.date(2026, 1, 19), dt.date(2026, 2, 2)]


def trend():
    return trend_chart(
        title="Your check-ins",
        dates=DATES,
        series=[("Burnout", [2, 4, 3]), ("Feeling supported", [4, 2, 5])],
        y_labels=["1", "2", "3", "4", "5"],
    )


def test_the_same_data_draws_the_same_bytes():
    assert trend().svg == trend().svg
    other = trend_chart(
        title="Your check-ins",
        dates=DATES,
        series=[("Burnout", [2, 4, 4]), ("Feeling supported", [4, 2, 5])],
        y_labels=["1", "2", "3", "4", "5"],
    )
    assert other.svg != trend().svg


def test_the_svg_has_no_inline_styles_scripts_or_dates():
    svg = trend().svg.decode()
    assert svg.startswith("<?xml")
    assert "<svg" in svg
    assert "</svg>" in svg
    assert " style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg
    assert "<dc:date>" not in svg
    assert not re.search(r"20\d\d-\d\d-\d\dT", svg)
    assert 'stroke="#0072b2"' in svg  # colours survive as presentation attributes


def test_the_svg_names_itself_and_describes_its_data():
    chart = trend()
    svg = chart.svg.decode()
    assert '<title id="chart-title">Your check-ins</title>' in svg
    assert "Burnout went from 2 to 3 (lowest 2, highest 4)" in chart.alt
    assert chart.alt in svg


def test_the_data_comes_as_csv_too():
    assert trend().csv().splitlines() == [
        "Date,Burnout,Feeling supported",
        "2026-01-05,2,4",
        "2026-01-19,4,2",
        "2026-02-02,3,5",
    ]


def test_suppressed_values_are_left_out_of_bars_and_named_in_the_text():
    chart = stacked_bar_chart(
        title="Answers",
        categories=["5 Jan", "19 Jan"],
        series=[("1", [None, 12]), ("2", [15, 0])],
        y_label="People",
    )
    assert chart.rows == (("5 Jan", "suppressed", "15"), ("19 Jan", "12", "0"))
    assert "1 suppressed value" in chart.alt
    assert chart.svg.decode().count("<path") > 2


def test_the_trend_image_is_served_as_svg_of_ones_own_check_ins(cast, client_for):
    services.pulse_record(user=cast.alice, burnout=3, supported=4)
    response = client_for(cast.alice).get(reverse("wellbeing:trend_svg"))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"1 point from" in response.content
    page = client_for(cast.alice).get(reverse("wellbeing:checkin")).content.decode()
    assert f'src="{reverse("wellbeing:trend_svg")}"' in page
    assert 'alt="Your check-ins: 1 point from' in page
    other = client_for(cast.bob).get(reverse("wellbeing:trend_svg")).content
    assert b"No check-ins yet." in other


def test_a_chart_whose_every_count_is_withheld_says_so_instead_of_an_empty_axis():
    chart = stacked_bar_chart(
        title="Meetings",
        categories=["Jan", "Feb"],
        series=[("Kept", [None, None]), ("Missed", [None, 0])],
        y_label="Meetings",
    )
    svg = chart.svg.decode()
    assert "every count here is withheld" in svg
    assert 'id="ytick_1"' not in svg  # no bare 0-to-1 axis
    assert "every count here is withheld because it covers 1 to 10 people." in chart.alt


def test_a_chart_with_counts_has_whole_number_ticks_up_to_its_tallest_bar():
    chart = stacked_bar_chart(
        title="Meetings", categories=["Jan"], series=[("Kept", [14])], y_label="Meetings"
    )
    svg = chart.svg.decode()
    assert "withheld" not in svg
    assert 'id="ytick_1"' in svg
