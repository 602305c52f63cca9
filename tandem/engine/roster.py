"""Parsing and validating roster CSV files, shared by the web importer and `tandem match`.

Every problem is collected with its line number and column, so a coordinator can fix the
whole file in one pass; nothing is half-read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

REQUIRED_COLUMNS = ("id", "stage")
CONTACT_COLUMNS = ("name", "email")
OPTIONAL_COLUMNS = (
    "specialty",
    "institution",
    "offers",
    "seeks",
    "main_thing",
    "specialty_preference",
    "availability",
    "evaluates",
)
ALL_COLUMNS = REQUIRED_COLUMNS + CONTACT_COLUMNS + OPTIONAL_COLUMNS
SPECIALTY_PREFERENCES = ("same", "different", "any")
SLOT_PATTERN = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)-(am|pm|eve)$")
EMAIL_PATTERN = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


@dataclass(frozen=True)
class RosterError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class RosterRow:
    line: int
    id: str
    stage: str
    stage_index: int
    name: str = ""
    email: str = ""
    specialty: str = ""
    institution: str = ""
    offers: frozenset[str] = field(default_factory=frozenset)
    seeks: frozenset[str] = field(default_factory=frozenset)
    main_thing: str = ""
    specialty_preference: str = "any"
    availability: frozenset[str] = field(default_factory=frozenset)
    evaluates: frozenset[str] = field(default_factory=frozenset)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _lines(source: str | Iterable[str]) -> Iterable[str]:
    if isinstance(source, str):
        return io.StringIO(source.removeprefix("\ufeff"), newline="")
    return source


def parse_roster(
    source: str | Iterable[str],
    *,
    ladder: Sequence[str],
    topics: Sequence[str],
    require_contact: bool,
    known_ids: Iterable[str] = (),
) -> tuple[list[RosterRow], list[RosterError]]:
    """Read a roster; return its rows, or every error found (rows are empty if any error).

    ``known_ids`` are ids that exist outside the file (people already in the program), which
    the ``evaluates`` column may also name.
    """
    errors: list[RosterError] = []
    reader = csv.reader(_lines(source))
    try:
        header = next(reader)
    except StopIteration:
        return [], [RosterError(1, "", "The file is empty; a header row is required.")]
    except csv.Error as exc:
        return [], [RosterError(1, "", f"Not a readable CSV file: {exc}")]
    columns = [name.strip().lower() for name in header]
    required = REQUIRED_COLUMNS + (CONTACT_COLUMNS if require_contact else ())
    allowed = set(ALL_COLUMNS)
    for name in columns:
        if name not in allowed:
            errors.append(RosterError(1, name, f"Unknown column “{name}”."))
    for name in required:
        if name not in columns:
            errors.append(RosterError(1, name, f"Required column “{name}” is missing."))
    duplicates = {name for name in columns if columns.count(name) > 1}
    for name in sorted(duplicates):
        errors.append(RosterError(1, name, f"Column “{name}” appears more than once."))
    if errors:
        return [], errors

    stage_lookup = {rung.strip().lower(): index for index, rung in enumerate(ladder)}
    topic_lookup = {topic.strip().lower(): topic for topic in topics}
    rows: list[RosterRow] = []
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    try:
        records = list(enumerate(reader, start=2))
    except csv.Error as exc:
        return [], [RosterError(reader.line_num, "", f"Not a readable CSV file: {exc}")]
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            errors.append(
                RosterError(line, "", f"Expected {len(columns)} cells but found {len(cells)}.")
            )
            continue
        record = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
        row_errors: list[RosterError] = []

        def problem(
            column: str, message: str, *, _line: int = line, _errors: list[RosterError] = row_errors
        ) -> None:
            _errors.append(RosterError(_line, column, message))

        person_id = record["id"]
        if not person_id:
            problem("id", "The id is empty.")
        elif person_id in seen_ids:
            problem("id", f"Duplicate id “{person_id}” (first on line {seen_ids[person_id]}).")
        else:
            seen_ids[person_id] = line
        stage_index = stage_lookup.get(record["stage"].lower(), -1)
        if not record["stage"]:
            problem("stage", "The stage is empty.")
        elif stage_index < 0:
            problem("stage", f"Unknown stage “{record['stage']}”; use one of: {', '.join(ladder)}.")
        name, email = record.get("name", ""), record.get("email", "").lower()
        if require_contact:
            if not name:
                problem("name", "The name is empty.")
            if not EMAIL_PATTERN.match(email):
                problem("email", f"“{record.get('email', '')}” is not an email address.")
            elif email in seen_emails:
                problem("email", f"Duplicate email (first on line {seen_emails[email]}).")
            else:
                seen_emails[email] = line
        elif email and not EMAIL_PATTERN.match(email):
            problem("email", f"“{record['email']}” is not an email address.")
        chosen_topics: dict[str, frozenset[str]] = {}
        for column in ("offers", "seeks"):
            picked = []
            for topic in _split(record.get(column, "")):
                canonical = topic_lookup.get(topic.lower())
                if canonical is None:
                    problem(column, f"Unknown topic “{topic}”.")
                else:
                    picked.append(canonical)
            chosen_topics[column] = frozenset(picked)
        preference = record.get("specialty_preference", "").lower() or "any"
        if preference not in SPECIALTY_PREFERENCES:
            problem("specialty_preference", f"“{preference}” must be same, different or any.")
        slots = [slot.lower() for slot in _split(record.get("availability", ""))]
        for slot in slots:
            if not SLOT_PATTERN.match(slot):
                problem(
                    "availability", f"“{slot}” is not a slot such as mon-am, thu-pm or sat-eve."
                )
        evaluates = _split(record.get("evaluates", ""))
        if person_id and person_id in evaluates:
            problem("evaluates", "A person cannot evaluate themselves.")
        errors.extend(row_errors)
        if row_errors:
            continue
        rows.append(
            RosterRow(
                line=line,
                id=person_id,
                stage=ladder[stage_index],
                stage_index=stage_index,
                name=name,
                email=email,
                specialty=record.get("specialty", ""),
                institution=record.get("institution", ""),
                offers=chosen_topics["offers"],
                seeks=chosen_topics["seeks"],
                main_thing=record.get("main_thing", ""),
                specialty_preference=preference,
                availability=frozenset(slots),
                evaluates=frozenset(evaluates),
            )
        )
    known = set(seen_ids) | set(known_ids)
    for row in rows:
        for other in sorted(row.evaluates - known):
            errors.append(
                RosterError(row.line, "evaluates", f"No one with id “{other}” in the roster.")
            )
    if not rows and not errors:
        errors.append(RosterError(2, "", "The roster has a header but no people."))
    return ([] if errors else rows), sorted(errors, key=lambda e: (e.line, e.column))
