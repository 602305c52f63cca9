"""Reading roster, exclusion and lock CSV files into validated rows, with every error located.

The web importer calls ``parse_roster`` too, so an upload and an offline run reject exactly the
same files with exactly the same messages.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from tandem.engine.defaults import DEFAULT_LADDER, DEFAULT_TOPICS
from tandem.engine.model import SPECIALTY_PREFERENCES, Constraints, ForbiddenPair, Participant

ROSTER_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "email",
    "stage",
    "specialty",
    "institution",
    "offers",
    "seeks",
    "main_thing",
    "specialty_preference",
    "availability",
    "evaluates",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("id", "stage")
CONTACT_COLUMNS: tuple[str, ...] = ("name", "email")
EXCLUSION_COLUMNS: tuple[str, ...] = ("a", "b", "reason")
LOCK_COLUMNS: tuple[str, ...] = ("group", "id", "score")

# Deliberately simple: one @, no spaces, a dot in the domain; the mail server has the last word.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Availability slots: a weekday and a part of the day, such as mon-am, thu-pm or sat-eve.
_SLOT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)-(am|pm|eve)$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = dict(
    zip(
        _DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
_PART_NAMES = {"am": "mornings", "pm": "afternoons", "eve": "evenings"}


def slot_words(slot: str) -> str:
    """A slot code in words: ``mon-am`` → "Monday mornings"; anything else is returned as is."""
    match = _SLOT.match(slot.lower())
    if match is None:
        return slot
    return f"{_DAY_NAMES[match.group(1)]} {_PART_NAMES[match.group(2)]}"


def slots_in_order(slots: Iterable[str]) -> list[str]:
    """Slot codes in week order (Monday morning first), unknown codes last."""

    def key(slot: str) -> tuple[int, int, str]:
        match = _SLOT.match(slot.lower())
        if match is None:
            return (7, 0, slot)
        return (_DAYS.index(match.group(1)), list(_PART_NAMES).index(match.group(2)), slot)

    return sorted(slots, key=key)


@dataclass(frozen=True)
class RosterError:
    """One problem in an input file; ``line`` counts from 1 with the header on line 1."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RosterRow:
    """One valid roster line, with labels put in the program's own spelling."""

    line: int
    id: str
    name: str
    email: str
    stage: str
    stage_index: int
    specialty: str
    institution: str
    offers: frozenset[str]
    seeks: frozenset[str]
    main_thing: str
    specialty_preference: str
    availability: frozenset[str]
    evaluates: tuple[str, ...]

    def to_participant(self) -> Participant:
        return Participant(
            id=self.id,
            stage=self.stage_index,
            specialty=self.specialty,
            offers=self.offers,
            seeks=self.seeks,
            main_thing=self.main_thing,
            specialty_preference=self.specialty_preference,
            availability=self.availability,
            name=self.name,
        )


@dataclass(frozen=True, slots=True)
class ExclusionRow:
    """One line of an exclusions file: two ids that must not be grouped, and why."""

    line: int
    a: str
    b: str
    kind: str
    reason: str


@dataclass(slots=True)
class _Record:
    line: int
    cells: dict[str, str]


def _lines(text_or_lines: str | bytes | Iterable[str]) -> Iterator[str]:
    if isinstance(text_or_lines, bytes):
        text_or_lines = text_or_lines.decode("utf-8")
    if isinstance(text_or_lines, str):
        return io.StringIO(text_or_lines.removeprefix("\ufeff"), newline="")
    return iter(text_or_lines)


def _records(
    text_or_lines: str | bytes | Iterable[str],
    allowed: Sequence[str],
    required: Sequence[str],
    errors: list[RosterError],
    optional_extra: Sequence[str] = (),
) -> tuple[list[str], list[_Record]]:
    """Split a CSV into header and records, reporting header problems and ragged rows."""
    reader = csv.reader(_lines(text_or_lines))
    try:
        header_cells = next(reader)
    except StopIteration:
        errors.append(RosterError(1, "", "the file is empty; a header row is required"))
        return [], []
    except csv.Error as exc:
        errors.append(RosterError(1, "", f"unreadable CSV: {exc}"))
        return [], []
    if header_cells:
        header_cells[0] = header_cells[0].removeprefix("\ufeff")
    header = [cell.strip().lower() for cell in header_cells]
    known = set(allowed) | set(optional_extra)
    seen: set[str] = set()
    for name in header:
        if name not in known:
            shown = name or "(empty)"
            errors.append(
                RosterError(
                    1, shown, f"unknown column {shown!r}; allowed columns are {', '.join(allowed)}"
                )
            )
        elif name in seen:
            errors.append(RosterError(1, name, f"column {name!r} appears twice"))
        seen.add(name)
    for name in required:
        if name not in seen:
            errors.append(RosterError(1, name, f"required column {name!r} is missing"))
    records: list[_Record] = []
    width = len(header)
    last_line = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RosterError(reader.line_num, "", f"unreadable CSV: {exc}"))
            break
        line = last_line + 1
        last_line = reader.line_num
        if len(cells) != width:
            if not "".join(cells).strip():
                continue
            errors.append(
                RosterError(
                    line, "", f"expected {width} fields as in the header, found {len(cells)}"
                )
            )
            continue
        records.append(_Record(line, dict(zip(header, cells, strict=True))))
    return header, records


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def parse_roster(
    text_or_lines: str | bytes | Iterable[str],
    *,
    ladder: Sequence[str] = DEFAULT_LADDER,
    topics: Sequence[str] = DEFAULT_TOPICS,
    require_contact: bool,
    known_ids: Iterable[str] = (),
) -> tuple[list[RosterRow], list[RosterError]]:
    """Parse and validate a roster, returning the valid rows and every error found.

    Rows with an error are left out of the returned rows; callers that must be all-or-nothing
    check that the error list is empty. ``known_ids`` are people outside the file (already in
    the program) whom the ``evaluates`` column may also name.
    """
    outside = set(known_ids)
    first_email: dict[str, int] = {}
    errors: list[RosterError] = []
    required = REQUIRED_COLUMNS + (CONTACT_COLUMNS if require_contact else ())
    header, records = _records(text_or_lines, ROSTER_COLUMNS, required, errors)
    if not header:
        return [], errors
    present = set(header)
    stage_of = {label.strip().lower(): (i, label) for i, label in enumerate(ladder)}
    topic_of = {label.strip().lower(): label for label in topics}
    first_line: dict[str, int] = {}
    for rec in records:
        # Cells are stripped once here; every later read sees clean values.
        rec.cells = {k: v.strip() for k, v in rec.cells.items() if v}
        rid = rec.cells.get("id", "")
        if rid and rid not in first_line:
            first_line[rid] = rec.line
    rows: list[RosterRow] = []
    for rec in records:
        before = len(errors)
        cells = rec.cells

        def err(column: str, message: str, line: int = rec.line) -> None:
            errors.append(RosterError(line, column, message))

        rid = cells.get("id", "")
        if "id" not in present:
            pass  # already reported once for the header
        elif not rid:
            err("id", "id is empty")
        elif first_line[rid] != rec.line:
            err("id", f"duplicate id {rid!r} (first used on line {first_line[rid]})")
        name = cells.get("name", "")
        email = cells.get("email", "")
        if require_contact:
            if not name and "name" in present:
                err("name", "name is empty")
            if "email" in present and not email:
                err("email", "email is empty")
            elif "email" in present and not _EMAIL.match(email):
                err("email", f"{email!r} is not an email address")
            elif first_email.setdefault(email.lower(), rec.line) != rec.line:
                err("email", f"duplicate email (first used on line {first_email[email.lower()]})")
        stage_label = cells.get("stage", "")
        stage = stage_of.get(stage_label.lower())
        if stage is None and "stage" in present:
            shown = stage_label or "(empty)"
            err("stage", f"unknown stage {shown!r}; the ladder is {', '.join(ladder)}")
        topic_sets: dict[str, frozenset[str]] = {}
        for column in ("offers", "seeks"):
            chosen: set[str] = set()
            for part in _split(cells.get(column, "")):
                topic = topic_of.get(part.lower())
                if topic is None:
                    err(column, f"unknown topic {part!r}; topics are {', '.join(topics)}")
                else:
                    chosen.add(topic)
            topic_sets[column] = frozenset(chosen)
        pref = cells.get("specialty_preference", "").lower() or "any"
        if pref not in SPECIALTY_PREFERENCES:
            err(
                "specialty_preference",
                f"{cells.get('specialty_preference')!r} is not one of same, different, any",
            )
        evaluates = tuple(dict.fromkeys(_split(cells.get("evaluates", ""))))
        for other in evaluates:
            if other == rid:
                err("evaluates", f"{rid!r} lists themselves in evaluates")
            elif other not in first_line and other not in outside:
                err("evaluates", f"evaluates names {other!r}, which is not an id in this file")
        for slot in _split(cells.get("availability", "")):
            if not _SLOT.match(slot.lower()):
                err("availability", f"{slot!r} is not a slot such as mon-am, thu-pm or sat-eve")
        if len(errors) > before or stage is None:
            continue
        rows.append(
            RosterRow(
                line=rec.line,
                id=rid,
                name=name,
                email=email,
                stage=stage[1],
                stage_index=stage[0],
                specialty=cells.get("specialty", ""),
                institution=cells.get("institution", ""),
                offers=topic_sets["offers"],
                seeks=topic_sets["seeks"],
                main_thing=cells.get("main_thing", ""),
                specialty_preference=pref,
                availability=frozenset(s.lower() for s in _split(cells.get("availability", ""))),
                evaluates=evaluates,
            )
        )
    return rows, errors


def exclusion_kind(reason: str) -> str:
    """Map an exclusion's free-text reason to its kind; anything unrecognised is a block."""
    text = reason.lower()
    if "evaluat" in text or "supervis" in text:
        return "evaluator"
    if "previous" in text or "former" in text or "prior" in text:
        return "previous_partner"
    if "coordinator" in text or "forbid" in text:
        return "coordinator"
    return "blocked"


def parse_exclusions(
    text_or_lines: str | bytes | Iterable[str], known_ids: Iterable[str]
) -> tuple[list[ExclusionRow], list[RosterError]]:
    """Parse an exclusions file with header ``a,b,reason``; ids must exist in the roster."""
    errors: list[RosterError] = []
    _, records = _records(text_or_lines, EXCLUSION_COLUMNS, ("a", "b"), errors)
    if any(e.line == 1 for e in errors):
        return [], errors
    known = set(known_ids)
    rows: list[ExclusionRow] = []
    kinds: dict[str, str] = {}
    for rec in records:
        cells = rec.cells
        a, b = cells.get("a", "").strip(), cells.get("b", "").strip()
        reason = cells.get("reason", "").strip()
        kind = kinds.get(reason)
        if kind is None:
            kind = kinds[reason] = exclusion_kind(reason)
        if a in known and b in known and a != b:
            rows.append(ExclusionRow(rec.line, a, b, kind, reason))
            continue
        for column, value in (("a", a), ("b", b)):
            if not value:
                errors.append(RosterError(rec.line, column, f"{column} is empty"))
            elif value not in known:
                errors.append(
                    RosterError(rec.line, column, f"{value!r} is not an id in the roster")
                )
        if a and a == b:
            errors.append(RosterError(rec.line, "b", f"{a!r} cannot be excluded from themselves"))
    return rows, errors


def parse_locks(
    text_or_lines: str | bytes | Iterable[str], known_ids: Iterable[str]
) -> tuple[list[tuple[str, ...]], list[RosterError]]:
    """Parse a lock file with header ``group,id`` (an earlier run's CSV output also works)."""
    errors: list[RosterError] = []
    _, records = _records(text_or_lines, ("group", "id"), ("group", "id"), errors, ("score",))
    if any(e.line == 1 for e in errors):
        return [], errors
    known = set(known_ids)
    groups: dict[str, list[str]] = {}
    placed: dict[str, int] = {}
    for rec in records:
        gid, pid = rec.cells.get("group", "").strip(), rec.cells.get("id", "").strip()
        if not gid:
            errors.append(RosterError(rec.line, "group", "group is empty"))
        elif pid not in known:
            errors.append(RosterError(rec.line, "id", f"{pid!r} is not an id in the roster"))
        elif pid in placed:
            errors.append(
                RosterError(rec.line, "id", f"{pid!r} is already locked on line {placed[pid]}")
            )
        else:
            placed[pid] = rec.line
            groups.setdefault(gid, []).append(pid)
    return [tuple(members) for members in groups.values()], errors


def build_constraints(
    rows: Sequence[RosterRow],
    exclusions: Sequence[ExclusionRow] = (),
    locked: Sequence[tuple[str, ...]] = (),
) -> Constraints:
    """Turn the roster's ``evaluates`` column, exclusions and locks into engine constraints."""
    forbidden: list[ForbiddenPair] = []
    for row in rows:
        for other in row.evaluates:
            forbidden.append(
                ForbiddenPair(row.id, other, "evaluator", f"{row.id} evaluates {other}")
            )
    for ex in exclusions:
        forbidden.append(ForbiddenPair(ex.a, ex.b, ex.kind, ex.reason))
    return Constraints(forbidden=tuple(forbidden), locked=tuple(tuple(g) for g in locked))
