"""Coordinators see aggregates only: response rates, score bands and means per wave, and the
change from baseline — small cells suppressed, free text never shown."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.surveys import services
from tandem.surveys.report import survey_report
from tests.surveys.conftest import after_close, answers, crowd


def _during(wave):
    return time_machine.travel(dt.datetime.combine(wave.opens_on, dt.time(12)), tick=False)


def big_cohort(world, cast, *, later=15):
    """23 people; all answer the baseline (mean 4.5), ``later`` the 3-month wave (mean 6.25)."""
    people = [cast.alice, cast.bob, cast.carol, *crowd(cast.cohort, 20)]
    for person in people:
        services.response_submit(
            wave=world.baseline, user=person, answers=answers(note="CROWDNOTE")
        )
    with _during(world.later):
        for person in people[:later]:
            services.response_submit(
                wave=world.later, user=person, answers=answers(a=5, b=1, c=5, d=10)
            )
    return people


def closed(world):
    """The day after the last wave closed: every wave's results are out."""
    return world.later.closes_on + dt.timedelta(days=1)


def test_means_and_change_from_baseline_by_hand(world, cast):
    big_cohort(world, cast, later=23)
    report = survey_report(world.survey, today=closed(world))
    baseline, later = report.means
    assert (baseline.people, baseline.mean) == (23, 4.5)  # (4 + 4 + 3 + 7) / 4
    assert (later.people, later.mean) == (23, 6.25)  # (5 + 5 + 5 + 10) / 4
    assert baseline.subscale_means == {"Goals": 3, "Trust": 4}
    (change,) = report.changes
    assert (change.people, change.baseline_mean, change.later_mean) == (23, 4.5, 6.25)
    assert change.difference == 1.75


def test_a_change_over_a_few_people_fewer_than_the_wave_is_withheld(world, cast):
    """23 answered the baseline, 15 of them the later wave: the baseline mean of those 15
    beside the baseline mean of all 23 would give the mean of the other 8."""
    big_cohort(world, cast, later=15)
    report = survey_report(world.survey, today=closed(world))
    assert report.means[0].mean == 4.5
    assert report.means[1].mean == 6.25
    (change,) = report.changes
    assert (change.people, change.baseline_mean, change.later_mean) == (None, None, None)


def test_nothing_of_a_wave_shows_while_it_is_open(world, cast):
    big_cohort(world, cast)
    report = survey_report(world.survey, today=world.baseline.closes_on)
    assert report.released == (False, False)
    assert report.means[0].mean is None
    assert report.rates.cells[0] == (None, None)
    assert report.distribution.row_totals[0] is None


def test_released_figures_stay_as_they_were_when_people_leave_later(world, cast):
    people = big_cohort(world, cast)
    first = survey_report(world.survey, today=closed(world))
    people[-1].delete()
    again = survey_report(world.survey, today=closed(world))
    assert again.means == first.means
    assert again.rates == first.rates
    assert again.distribution == first.distribution


def test_a_released_wave_cannot_be_opened_again(world, cast):
    survey_report(world.survey, today=world.baseline.closes_on + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.wave_update(
            wave=world.baseline,
            label="Baseline",
            opens_on=world.baseline.opens_on,
            closes_on=world.baseline.closes_on + dt.timedelta(days=30),
        )
    services.wave_update(
        wave=world.baseline,
        label="Start",
        opens_on=world.baseline.opens_on,
        closes_on=world.baseline.closes_on,
    )


def test_response_rates_hide_small_cells_and_what_would_reveal_them(world, cast):
    big_cohort(world, cast)
    report = survey_report(world.survey, today=closed(world))
    assert report.rates.cells[0] == (23, 0)
    assert report.rate(0) == 100
    # 8 people did not answer the 3-month wave: hidden, and so is the 15 that would reveal it.
    assert report.rates.cells[1] == (None, None)
    assert report.rate(1) is None
    assert "8" not in report.csv("rates").splitlines()[2]


def test_score_bands_count_people_per_wave(world, cast):
    big_cohort(world, cast)
    report = survey_report(world.survey, today=closed(world))
    # Mean scoring of items from 0 to 10: bands of 2; 4.5 falls in 4–6, 6.25 in 6–8.
    assert report.bin_labels == ("0–2", "2–4", "4–6", "6–8", "8–10")
    assert report.distribution.cells[0] == (0, 0, 23, 0, 0)
    assert report.distribution.cells[1] == (0, 0, 0, 15, 0)


def test_a_mean_of_fewer_than_eleven_people_is_not_shown(world, cast):
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers())
    report = survey_report(world.survey, today=closed(world))
    assert report.means[0].mean is None
    assert report.means[0].people is None
    assert report.distribution.cells[0][2] is None
    assert report.rates.cells[0] == (None, None)


def test_results_page_shows_aggregates_and_never_free_text(world, cast, client_for):
    big_cohort(world, cast, later=23)
    url = reverse("surveys:results", args=[cast.program.slug, world.survey.pk])
    with after_close(world.later):
        page = client_for(cast.coord).get(url).content.decode()
    assert "4.50" in page
    assert "6.25" in page
    assert "1.75" in page
    assert "100%" in page
    assert "CROWDNOTE" not in page
    assert "Alice" not in page


def test_each_chart_has_its_csv_and_a_text_alternative(world, cast, client_for):
    big_cohort(world, cast)
    survey_report(world.survey, today=closed(world))
    client = client_for(cast.coord)
    for name in ("rates", "scores", "change"):
        svg = client.get(
            reverse("surveys:chart_svg", args=[cast.program.slug, world.survey.pk]),
            {"chart": name},
        )
        assert svg.status_code == 200
        assert svg["Content-Type"] == "image/svg+xml"
        assert b"<desc" in svg.content
        csv = client.get(
            reverse("surveys:chart_csv", args=[cast.program.slug, world.survey.pk]),
            {"chart": name},
        )
        assert csv.status_code == 200
        assert "CROWDNOTE" not in csv.content.decode()
    change = client.get(
        reverse("surveys:chart_csv", args=[cast.program.slug, world.survey.pk]),
        {"chart": "change"},
    ).content.decode()
    assert "Baseline,4.50,23" in change
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 4
    unknown = client.get(
        reverse("surveys:chart_csv", args=[cast.program.slug, world.survey.pk]),
        {"chart": "people"},
    )
    assert unknown.status_code == 404


@pytest.mark.parametrize("answering", [1, 4, 10, 11, 12, 19, 22])
def test_no_shown_count_is_between_one_and_ten(world, cast, answering):
    people = [cast.alice, cast.bob, cast.carol, *crowd(cast.cohort, 20)]
    for person in people[:answering]:
        services.response_submit(wave=world.baseline, user=person, answers=answers())
    report = survey_report(world.survey, today=closed(world))
    for table in (report.rates, report.distribution):
        shown = [value for row in table.cells for value in row]
        shown += [*table.row_totals, *table.column_totals, table.grand_total]
        assert not [value for value in shown if value is not None and 1 <= value <= 10]
    mean = report.means[0]
    assert (mean.mean is None) == (answering < 11)


def test_changing_a_waves_dates_keeps_what_was_typed_on_error(world, cast, client_for):
    url = reverse("surveys:wave_edit", args=[cast.program.slug, world.survey.pk, world.later.pk])
    client = client_for(cast.coord)
    response = client.post(
        url, {"label": "Three months", "opens_on": "2030-05-10", "closes_on": "2030-05-01"}
    )
    page = response.content.decode()
    assert "A wave closes on or after the day it opens." in page
    assert "Three months" in page
    response = client.post(
        url, {"label": "Three months", "opens_on": "2030-05-10", "closes_on": "2030-05-31"}
    )
    assert response.status_code == 302
    world.later.refresh_from_db()
    assert (world.later.label, world.later.closes_on.isoformat()) == ("Three months", "2030-05-31")
