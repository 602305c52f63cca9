"""Outcomes reach the research export as categories and counts after the cohort began, with
follow-up in whole months (generalised like any quasi-identifier), never as dates or titles."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.outcomes.models import Departure, Grant, Publication, RankChange
from tandem.research import exports
from tandem.research.sources import count_band
from tests.research.helpers import crowd

pytestmark = pytest.mark.django_db

PEOPLE = [("PGY1", "Surgery", "Riverside")] * 24
TITLE = "Peer mentoring and the long night shift"


def test_outcomes_after_the_cohort_began_are_exported_as_bands_and_categories(cast):
    people = crowd(cast.cohort, PEOPLE)
    start = cast.cohort.starts_on
    leaver, too_early, promoted = (person.profiles.get() for person in people[:3])
    authors = [person.profiles.get() for person in people[12:]]
    Departure.objects.create(
        profile=leaver, left_on=start + dt.timedelta(days=40), reason=Departure.Reason.PERSONAL
    )
    for author in authors:
        for number in (1, 2):
            Publication.objects.create(
                profile=author, title=f"{TITLE}, part {number}", year=start.year
            )
        Grant.objects.create(profile=author, funder="NIH", role="pi", year=start.year)
    RankChange.objects.create(
        profile=promoted, from_rung="PGY1", to_rung="PGY2", changed_on=start + dt.timedelta(days=9)
    )
    Publication.objects.create(profile=too_early, title=TITLE, year=start.year - 3)

    dataset = exports.build_dataset(cast.cohort)
    assert {"publications", "grants", "promotions", "fellowship_matched"} <= set(
        dataset.quasi_identifiers
    )
    assert "months_followed" in dataset.quasi_identifiers
    departures = sorted(record["departure"] for record in dataset.records)
    assert departures == ["left"] + ["none"] * 23
    publications = sorted(record["publications"] for record in dataset.records)
    assert publications == ["0"] * 12 + ["1–2"] * 12, (
        "a paper from before the cohort does not count"
    )
    assert sorted(record["grants"] for record in dataset.records) == ["0"] * 12 + ["1–2"] * 12
    # One promotion among 24 people would name the person: the column is suppressed.
    assert {record["promotions"] for record in dataset.records} == {"*"}
    files = exports.export_files(dataset, "csv")
    assert all(TITLE not in text and "NIH" not in text for text in files.values())


def test_a_count_that_can_be_looked_up_leaves_only_as_a_band(cast):
    people = crowd(cast.cohort, PEOPLE)
    for person in people:
        for number in range(7):
            Publication.objects.create(
                profile=person.profiles.get(),
                title=f"{TITLE} {number}",
                year=cast.cohort.starts_on.year,
            )
    dataset = exports.build_dataset(cast.cohort)
    assert {record["publications"] for record in dataset.records} == {"6+"}
    assert "7" not in exports.dataset_csv(dataset).split(",")


@pytest.mark.parametrize(
    ("count", "band"), [(0, "0"), (1, "1–2"), (2, "1–2"), (3, "3–5"), (5, "3–5"), (6, "6+")]
)
def test_count_bands(count, band):
    assert count_band(count) == band
