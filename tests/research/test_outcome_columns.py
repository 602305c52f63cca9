"""Outcomes reach the research export as categories and counts after the cohort began, with
follow-up in whole months (generalised like any quasi-identifier), never as dates or titles."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.outcomes.models import Departure, Grant, Publication, RankChange
from tandem.research import exports
from tests.research.helpers import crowd

pytestmark = pytest.mark.django_db

PEOPLE = [("PGY1", "Surgery", "Riverside")] * 24
TITLE = "Peer mentoring and the long night shift"


def test_outcomes_after_the_cohort_began_are_exported_as_counts_and_categories(cast):
    people = crowd(cast.cohort, PEOPLE)
    start = cast.cohort.starts_on
    leaver, author, too_early = (person.profiles.get() for person in people[:3])
    Departure.objects.create(
        profile=leaver, left_on=start + dt.timedelta(days=40), reason=Departure.Reason.PERSONAL
    )
    for number in (1, 2):
        Publication.objects.create(profile=author, title=f"{TITLE}, part {number}", year=start.year)
    RankChange.objects.create(
        profile=author, from_rung="PGY1", to_rung="PGY2", changed_on=start + dt.timedelta(days=9)
    )
    Grant.objects.create(profile=author, funder="NIH", role="pi", year=start.year)
    Publication.objects.create(profile=too_early, title=TITLE, year=start.year - 3)

    dataset = exports.build_dataset(cast.cohort)
    assert {"departure", "months_followed", "publications", "grants"} <= {
        column.name for column in dataset.columns
    }
    assert "months_followed" in dataset.quasi_identifiers
    departures = sorted(record["departure"] for record in dataset.records)
    assert departures == ["left"] + ["none"] * 23
    publications = sorted(int(record["publications"]) for record in dataset.records)
    assert publications == [0] * 23 + [2], "a paper from before the cohort does not count"
    assert sorted(int(r["promotions"]) for r in dataset.records)[-1] == 1
    assert sorted(int(r["grants"]) for r in dataset.records)[-1] == 1
    files = exports.export_files(dataset, "csv")
    assert all(TITLE not in text and "NIH" not in text for text in files.values())
