"""Scoring by hand-worked examples, and property tests of its bounds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.surveys.scoring import MEAN, SUM, ScoredItem, item_value, score, score_range

ITEMS = [
    ScoredItem("a", 1, 5, subscale="Trust"),
    ScoredItem("b", 1, 5, reverse=True, subscale="Trust"),
    ScoredItem("c", 1, 5, subscale="Goals"),
    ScoredItem("d", 0, 10),
]
ALL = {"a": 4, "b": 2, "c": 3, "d": 7}


def test_a_reverse_scored_answer_counts_from_the_other_end():
    assert item_value(ITEMS[1], 2) == 4  # 1 + 5 - 2
    assert item_value(ITEMS[1], 5) == 1
    assert item_value(ScoredItem("x", 0, 10, reverse=True), 3) == 7


def test_sum_of_every_item_and_of_each_subscale():
    # a=4, b reversed 2→4, c=3, d=7: total 18; Trust 4+4=8; Goals 3.
    result = score(ITEMS, ALL, method=SUM)
    assert result.total == 18
    assert result.subscales == {"Goals": 3, "Trust": 8}


def test_mean_of_every_item_and_of_each_subscale():
    result = score(ITEMS, ALL, method=MEAN)
    assert result.total == 4.5  # 18 / 4
    assert result.subscales == {"Goals": 3, "Trust": 4}


def test_a_sum_with_a_missing_item_has_no_score():
    result = score(ITEMS, {"a": 4, "b": 2, "d": 7}, method=SUM)
    assert result.total is None
    assert result.subscales == {"Goals": None, "Trust": 8}


def test_a_mean_needs_half_of_the_items_answered():
    assert score(ITEMS, {"a": 4, "b": 2, "d": 7}, method=MEAN).total == 5  # (4+4+7)/3
    assert score(ITEMS, {"a": 4, "b": 2}, method=MEAN).total == 4  # 2 of 4: enough
    assert score(ITEMS, {"d": 7}, method=MEAN).total is None  # 1 of 4: not enough


def test_an_answer_outside_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside"):
        score(ITEMS, {**ALL, "a": 6}, method=SUM)


def test_score_ranges():
    assert score_range(ITEMS, method=SUM) == (3, 25)
    assert score_range(ITEMS, method=MEAN) == (0, 10)


@st.composite
def items_and_answers(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    items, answers = [], {}
    for index in range(count):
        low = draw(st.integers(min_value=-5, max_value=5))
        high = draw(st.integers(min_value=low + 1, max_value=low + 10))
        item = ScoredItem(
            key=f"q{index}",
            scale_min=low,
            scale_max=high,
            reverse=draw(st.booleans()),
            subscale=draw(st.sampled_from(["", "A", "B"])),
        )
        items.append(item)
        if draw(st.booleans()) or index == 0:
            answers[item.key] = draw(st.integers(min_value=low, max_value=high))
    return items, answers


@given(items_and_answers(), st.sampled_from([SUM, MEAN]))
def test_every_score_lies_within_the_range_the_items_allow(case, method):
    items, answers = case
    low, high = score_range(items, method=method)
    result = score(items, answers, method=method)
    if result.total is not None:
        assert low <= result.total <= high
    for name, value in result.subscales.items():
        if value is not None:
            sub_low, sub_high = score_range([i for i in items if i.subscale == name], method=method)
            assert sub_low <= value <= sub_high


@given(items_and_answers(), st.sampled_from([SUM, MEAN]))
def test_reversing_an_item_twice_changes_nothing(case, method):
    items, answers = case
    flipped = [
        ScoredItem(i.key, i.scale_min, i.scale_max, not i.reverse, i.subscale) for i in items
    ]
    mirrored = {
        key: item.scale_min + item.scale_max - value
        for item in items
        for key, value in answers.items()
        if key == item.key
    }
    assert score(flipped, mirrored, method=method) == score(items, answers, method=method)
