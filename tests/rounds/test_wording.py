"""Run figures reach coordinators in words, with the numbers behind a details toggle."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.rounds import services, wording

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "word"),
    [(0.9, "strong"), (0.75, "strong"), (0.6, "good"), (0.3, "some"), (0.1, "little")],
)
def test_a_component_reads_as_a_word(value, word):
    assert wording.fit_word(value) == word


def test_group_fit_lists_what_the_group_shares_strongest_first():
    fit = wording.group_fit({"stage": 1.0, "availability": 0.0, "reciprocity": 0.5})
    assert fit == [
        ("strong", "close in career stage"),
        ("good", "each can help the other with what they seek"),
        ("little", "free at the same times"),
    ]


@pytest.mark.parametrize(
    ("metrics", "words"),
    [
        (
            {"total": 546.4, "upper_bound": 546.5},
            "as good as the best possible, to within half a percent",
        ),
        ({"total": 80, "upper_bound": 100}, "at least 80% as good as the best possible"),
        ({"total": 80, "upper_bound": 100, "optimal": True}, "the best possible grouping"),
        ({}, "not measured"),
    ],
)
def test_a_runs_quality_reads_as_words(metrics, words):
    assert wording.run_quality(metrics) == words


def test_the_review_page_leads_with_words_and_keeps_numbers_in_details(round_, cast, client_for):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    page = client_for(cast.coord).get(reverse("rounds:run", args=[run.pk])).content.decode()
    summary = page.split('id="summary-heading"', 1)[1].split("<details>", 1)[0]
    assert "Quality" in summary
    assert "s good as the best possible" in summary or "The best possible grouping" in summary
    assert not re.search(r"\d+\.\d", summary)  # no raw scores before the details toggle
    assert "seed" not in page.lower().split("<details>", 1)[0]
    assert "Variation number" in page


def test_the_match_settings_name_each_weight_in_words(cast, round_, client_for):
    url = reverse("rounds:settings", args=[round_.cohort.program.slug, round_.cohort.slug])
    page = client_for(cast.coord).get(url).content.decode()
    assert "Weight of “each can help the other with what they seek”" in page
    assert "free at the same times" in page
    labels = " ".join(re.findall(r"<label[^>]*>(.*?)</label>", page, re.S))
    for internal in ("reciprocity", "Weight: goals", "Weight: availability"):
        assert internal not in labels
