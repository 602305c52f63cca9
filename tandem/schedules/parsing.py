"""Reading schedules from files: the block CSV (``email,start,end,kind,label``) and .ics.

Parsing never writes anything; it returns the blocks it understood and every problem with its
line and column, so an import can refuse a file as a whole and say exactly what to correct.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from icalendar import Calendar

from tandem.core.imports import format_problems, max_rows, problem, text_normalise
from tandem.engine.availability import KINDS

CSV_COLUMNS = ("email", "start", "end", "kind", "label")
REQUIRED_COLUMNS = ("start", "end", "kind")
MAX_LABEL = 200
MAX_BLOCK_DAYS = 366


@dataclass(frozen=True)
class ParsedBlock:
    line: int
    person: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    whole_days: bool
    kind: str
    label: str


@dataclass
class ParsedSchedule:
    blocks: list[ParsedBlock] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append(problem(line, column, message))


def format_errors(errors: list[dict[str, Any]]) -> list[str]:
    return format_problems(errors)


def _moment(text: str) -> dt.datetime | dt.date | None:
    """A date (YYYY-MM-DD) or an aware ISO 8601 date-time; None when it is neither."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _check_span(
    parsed: ParsedSchedule, line: int, start_text: str, end_text: str
) -> tuple[dt.datetime, dt.datetime, bool] | None:
    start, end = _moment(start_text), _moment(end_text)
    bad = False
    for column, text, value in (("start", start_text, start), ("end", end_text, end)):
        if not text.strip():
            parsed.error(line, column, "This cell is empty.")
            bad = True
        elif value is None:
            parsed.error(
                line,
                column,
                f"“{text.strip()[:40]}” is not a date (2026-07-01) or a date-time with an "
                "offset (2026-07-01T07:00+02:00).",
            )
            bad = True
        elif isinstance(value, dt.datetime) and value.tzinfo is None:
            parsed.error(line, column, "The date-time needs an offset, such as +02:00 or Z.")
            bad = True
    if bad or start is None or end is None:
        return None
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        parsed.error(line, "end", "Give start and end both as dates or both as date-times.")
        return None
    if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
        assert isinstance(start, dt.datetime)
        assert isinstance(end, dt.datetime)
        if end <= start:
            parsed.error(line, "end", "The block ends before it starts.")
            return None
        if end - start > dt.timedelta(days=MAX_BLOCK_DAYS):
            parsed.error(line, "end", f"A block lasts at most {MAX_BLOCK_DAYS} days.")
            return None
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC), False
    if end < start:
        parsed.error(line, "end", "The block ends before it starts.")
        return None
    if (end - start).days >= MAX_BLOCK_DAYS:
        parsed.error(line, "end", f"A block lasts at most {MAX_BLOCK_DAYS} days.")
        return None
    # Whole-day blocks keep their dates as midnights in UTC; the zone is applied when read.
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=dt.UTC),
        dt.datetime.combine(end, dt.time(0), tzinfo=dt.UTC),
        True,
    )


def parse_schedule_csv(content: str, *, person_column: bool) -> ParsedSchedule:
    """Blocks of a schedule CSV; with ``person_column`` every row must name its person."""
    parsed = ParsedSchedule()
    reader = csv.reader(io.StringIO(text_normalise(content), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        parsed.error(1, "", "The file is empty; it needs a header row.")
        return parsed
    except csv.Error as error:
        parsed.error(1, "", f"The file is not readable CSV ({error}).")
        return parsed
    names = [name.strip().lower() for name in header]
    unknown = [name for name in names if name not in CSV_COLUMNS]
    required = ("email", *REQUIRED_COLUMNS) if person_column else REQUIRED_COLUMNS
    for name in unknown:
        parsed.error(
            1, name or "(empty)", "Unknown column; the columns are " + ", ".join(CSV_COLUMNS) + "."
        )
    for name in required:
        if name not in names:
            parsed.error(1, name, "This column is missing.")
    if len(set(names)) != len(names):
        parsed.error(1, "", "A column appears twice.")
    if parsed.errors:
        return parsed
    position = {name: k for k, name in enumerate(names)}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(parsed.blocks) + len(parsed.errors) >= max_rows():
                parsed.error(line, "", f"A file holds at most {max_rows():,} rows.")
                break
            if len(row) != len(names):
                parsed.error(line, "", f"Expected {len(names)} cells, found {len(row)}.")
                continue
            cell = {name: row[k].strip() for name, k in position.items()}
            _parse_row(parsed, line, cell, person_column=person_column)
    except csv.Error as error:
        parsed.error(reader.line_num, "", f"The file is not readable CSV ({error}).")
    return parsed


def _parse_row(
    parsed: ParsedSchedule, line: int, cell: dict[str, str], *, person_column: bool
) -> None:
    before = len(parsed.errors)
    person = cell.get("email", "")
    if person_column and not person:
        parsed.error(line, "email", "Name the person by email address or id.")
    kind = cell["kind"].lower()
    if kind not in KINDS:
        parsed.error(
            line, "kind", f"“{cell['kind'][:30]}” is not a kind; use one of {', '.join(KINDS)}."
        )
    label = cell.get("label", "")
    if len(label) > MAX_LABEL:
        parsed.error(line, "label", f"Keep the label under {MAX_LABEL} characters.")
    span = _check_span(parsed, line, cell["start"], cell["end"])
    if span is None or len(parsed.errors) > before:
        return
    start, end, whole_days = span
    parsed.blocks.append(ParsedBlock(line, person, start, end, whole_days, kind, label))


KIND_WORDS = (
    ("post-call", ("post-call", "post call", "postcall")),
    ("call", ("call",)),
    ("night", ("night",)),
    ("vacation", ("vacation", "leave", "holiday")),
    ("clinic", ("clinic",)),
    ("off", ("off",)),
)


def kind_from_words(*texts: str) -> str:
    """The kind an event's category or title names; events naming none count as day work."""
    for text in texts:
        lowered = text.lower()
        if lowered in KINDS:
            return lowered
    joined = " ".join(texts).lower()
    for kind, words in KIND_WORDS:
        if any(re.search(rf"\b{re.escape(word)}\b", joined) for word in words):
            return kind
    return "day"


def parse_schedule_ics(content: bytes) -> ParsedSchedule:
    """Blocks of an .ics calendar; each event is a block, its title the (private) label."""
    parsed = ParsedSchedule()
    try:
        calendar = Calendar.from_ical(content)
    except (ValueError, IndexError, KeyError) as error:
        parsed.error(1, "", f"The file is not a readable calendar ({str(error)[:80]}).")
        return parsed
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", ""))[:MAX_LABEL]
        categories = event.get("CATEGORIES")
        category_words: list[str] = []
        for item in categories if isinstance(categories, list) else [categories]:
            if item is not None:
                category_words += [str(word) for word in getattr(item, "cats", [])]
        start_prop, end_prop = event.get("DTSTART"), event.get("DTEND")
        if start_prop is None:
            parsed.error(number, "DTSTART", f"Event {number} has no start.")
            continue
        start = start_prop.dt
        end = end_prop.dt if end_prop is not None else None
        if end is None:
            duration = event.get("DURATION")
            end = start + duration.dt if duration is not None else start
        kind = kind_from_words(*category_words, summary)
        if isinstance(start, dt.datetime):
            if not isinstance(end, dt.datetime) or start.tzinfo is None:
                parsed.error(number, "DTSTART", f"Event {number} needs a start with a time zone.")
                continue
            if end <= start:
                parsed.error(number, "DTEND", f"Event {number} ends before it starts.")
                continue
            parsed.blocks.append(
                ParsedBlock(
                    number,
                    "",
                    start.astimezone(dt.UTC),
                    end.astimezone(dt.UTC),
                    False,
                    kind,
                    summary,
                )
            )
        else:
            # All-day events end on the day after their last day (RFC 5545).
            last = end - dt.timedelta(days=1) if end > start else start
            parsed.blocks.append(
                ParsedBlock(
                    number,
                    "",
                    dt.datetime.combine(start, dt.time(0), tzinfo=dt.UTC),
                    dt.datetime.combine(last, dt.time(0), tzinfo=dt.UTC),
                    True,
                    kind,
                    summary,
                )
            )
    return parsed
