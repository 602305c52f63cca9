"""Free-time masks made and read in bulk: masks straight from schedules, packed words, bits and
the words of reasons agree with the plain computations they replaced, on random inputs."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.engine import MatchConfig, Participant
from tandem.engine.availability import (
    DEFAULT_RULES,
    PARTS_OF_DAY,
    WEEKDAYS,
    Block,
    Person,
    free_mask,
    free_mask_words,
    free_time,
    free_time_mask,
    mask_bits,
    mask_words,
    word_bits,
)
from tandem.engine.scoring import Cohort, _distinct_slots

EIGHT_WEEKS = 8 * 168


def words_one_by_one(masks: list[int], words: int) -> np.ndarray:
    """The reading before: each 64-bit word shifted out of the integer in turn."""
    out = np.zeros((len(masks), words), dtype=np.uint64)
    for i, mask in enumerate(masks):
        for w in range(words):
            out[i, w] = (mask >> (64 * w)) & ((1 << 64) - 1)
    return out


def words_slot_by_slot(shared: int, slot_minutes: int) -> tuple[str, int] | None:
    """The reading before: every bit in turn, grouped by weekday and part of day."""
    if not shared:
        return None
    per_day = 24 * 60 // slot_minutes
    per_week = 7 * per_day
    seen: dict[tuple[int, str], set[int]] = {}
    slot = 0
    bits = shared
    while bits:
        if bits & 1:
            week, rest = divmod(slot, per_week)
            weekday, within = divmod(rest, per_day)
            hour = within * slot_minutes // 60
            part = next((name for name, lo, hi in PARTS_OF_DAY if lo <= hour < hi), "night")
            seen.setdefault((weekday, part), set()).add(week)
        bits >>= 1
        slot += 1
    (weekday, part), found = max(seen.items(), key=lambda kv: (len(kv[1]), -kv[0][0]))
    return f"{WEEKDAYS[weekday]} {part}s", len(found)


def sparse_masks(width: int) -> st.SearchStrategy[int]:
    """Masks with a few free slots, so that ties between parts of a day happen often."""
    return st.lists(st.integers(0, width - 1), max_size=40).map(
        lambda slots: sum(1 << s for s in set(slots))
    )


masks = st.one_of(st.integers(0, (1 << EIGHT_WEEKS) - 1), sparse_masks(EIGHT_WEEKS))


@given(st.lists(masks, min_size=1, max_size=6))
def test_masks_become_the_same_words_as_read_one_by_one(found: list[int]) -> None:
    words = max(1, (max(m.bit_length() for m in found) + 63) // 64)
    assert np.array_equal(mask_bits(found, words), words_one_by_one(found, words))


@given(st.lists(masks, min_size=1, max_size=6))
def test_word_bits_give_back_each_slot_of_the_mask(found: list[int]) -> None:
    words = (EIGHT_WEEKS + 63) // 64
    bits = word_bits(mask_bits(found, words), EIGHT_WEEKS)
    for row, mask in zip(bits, found, strict=True):
        assert [k for k in range(EIGHT_WEEKS) if row[k]] == [
            k for k in range(EIGHT_WEEKS) if mask >> k & 1
        ]


@settings(max_examples=300)
@given(masks, st.sampled_from([60, 30, 90, 45, 240, 480]))
def test_reason_words_agree_with_reading_slot_by_slot(shared: int, slot_minutes: int) -> None:
    mask_words.cache_clear()
    assert mask_words(shared, slot_minutes) == words_slot_by_slot(shared, slot_minutes)


def test_a_tie_goes_to_the_earlier_weekday_then_the_part_seen_first() -> None:
    tuesday_evening = 1 << (168 + 24 + 19)  # week 2
    tuesday_morning = 1 << (2 * 168 + 24 + 9)  # week 3
    monday_evening = 1 << (3 * 168 + 19)
    assert mask_words(tuesday_evening | tuesday_morning, 60) == ("Tuesday evenings", 1)
    assert mask_words(tuesday_evening | monday_evening, 60) == ("Monday evenings", 1)


@given(st.lists(st.one_of(st.none(), masks), min_size=2, max_size=8))
def test_shared_slot_columns_count_what_both_have_free(found: list[int | None]) -> None:
    people = [Participant(id=f"p{k}", stage=0, free_mask=m) for k, m in enumerate(found)]
    if all(m is None for m in found):
        return
    avail, names, has = free_mask_words(people)
    assert has.tolist() == [m is not None for m in found]
    columns, repeats = _distinct_slots(avail, len(names))
    shared = (columns * repeats) @ columns.T
    for i, a in enumerate(found):
        for j, b in enumerate(found):
            assert shared[i, j] == ((a or 0) & (b or 0)).bit_count()
    cohort = Cohort(people, MatchConfig())
    first, second = np.triu_indices(len(people), 1)
    expected = [
        ((found[x] or 0) & (found[y] or 0)).bit_count()
        for x, y in zip(first.tolist(), second.tolist(), strict=True)
    ]
    counted = np.bitwise_count(cohort.avail[first] & cohort.avail[second]).sum(axis=1)
    assert counted.tolist() == expected


ZONES = ["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"]
KIND_NAMES = ["day", "night", "call", "post-call", "vacation", "clinic", "off"]
SPRING = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)  # the weeks around March's clock changes


def times() -> st.SearchStrategy[dt.time]:
    return st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    first = SPRING + dt.timedelta(minutes=draw(st.integers(-4 * 1440, 40 * 1440)))
    whole_days = draw(st.booleans())
    if whole_days:
        first = first.replace(hour=0, minute=0)
        last = first + dt.timedelta(days=draw(st.integers(0, 30)))
    else:
        last = first + dt.timedelta(minutes=draw(st.integers(15, 5 * 1440)))
    return Block(first, last, draw(st.sampled_from(KIND_NAMES)), whole_days)


@st.composite
def people(draw: st.DrawFn) -> Person:
    booked = [
        (SPRING + dt.timedelta(minutes=m), SPRING + dt.timedelta(minutes=m + 60))
        for m in draw(st.lists(st.integers(0, 30 * 1440), max_size=3))
    ]
    rules = dict(DEFAULT_RULES)
    for kind in draw(st.lists(st.sampled_from(KIND_NAMES), max_size=3)):
        rules[kind] = draw(st.sampled_from(["busy", "daytime", "free"]))
    return Person(
        zone=draw(st.sampled_from(ZONES)),
        wake=draw(times()),
        sleep=draw(times()),
        blocks=tuple(draw(st.lists(blocks(), max_size=8))),
        booked=tuple(booked),
        rules=rules,
        day_start=draw(times()),
        day_end=draw(times()),
    )


@settings(max_examples=300, deadline=None)
@given(
    people(),
    st.sampled_from(ZONES),
    st.sampled_from([60, 30, 90]),
    st.integers(0, 3),
    st.integers(0, 10),
)
def test_free_time_masks_agree_with_masks_of_the_free_windows(
    person: Person, zone: str, slot_minutes: int, weeks_after: int, days_after: int
) -> None:
    monday = SPRING.date() + dt.timedelta(weeks=weeks_after)
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(days=1)
    end = start + dt.timedelta(weeks=3, days=days_after)
    windows = free_time(person, start, end)
    expected = free_mask(windows, zone, monday, 3, slot_minutes=slot_minutes)
    assert free_time_mask(person, start, end, zone, monday, 3, slot_minutes=slot_minutes) == (
        expected
    )
