"""Outcomes by CSV: one row per outcome, previewed first, then applied all at once or not at all.

The file is a definition on the import pipeline (``tandem.core.imports``).

The format (docs/outcomes.md) has a ``person`` column (the roster id or email of someone in
the program), a ``kind`` column and the columns that kind needs. Every problem is reported
with its line (the header is line 1) and column; applying the same file again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models.functions import Lower
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.imports import (
    ImportDefinition,
    PreviewTable,
    cell,
    format_problems,
    import_apply,
    import_discard,
    import_preview,
    problem,
    text_normalise,
    text_problem,
)
from tandem.outcomes import services, validation
from tandem.outcomes.models import (
    Departure,
    FellowshipMatch,
    Grant,
    OutcomeImport,
    RankChange,
    Source,
)
from tandem.programs.models import Profile, Program

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
# The columns each kind needs, then those it may have; anything else filled in is an error.
KIND_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "departure": (("date", "reason"), ("scope",)),
    "rank_change": (("date", "from_rung", "to_rung"), ()),
    "fellowship": (("year", "fellowship"), ()),
    "publication": (("year", "title"), ("journal", "doi", "pmid")),
    "grant": (("year", "funder", "role"), ("title",)),
}
COLUMNS: tuple[str, ...] = (
    "person",
    "kind",
    "date",
    "year",
    "reason",
    "scope",
    "from_rung",
    "to_rung",
    "fellowship",
    "title",
    "journal",
    "doi",
    "pmid",
    "funder",
    "role",
)
REQUIRED: tuple[str, ...] = ("person", "kind")


@dataclass
class OutcomeRow:
    """One valid line: whose outcome, which kind, and its cleaned values."""

    line: int
    person: str
    kind: str
    profile: Profile
    values: dict[str, Any]


@dataclass
class RowPlan:
    line: int
    person: str
    kind: str
    action: str
    what: str


@dataclass
class OutcomePlan:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def as_summary(self) -> dict[str, Any]:
        return {
            "rows": [asdict(row) for row in self.rows],
            "errors": self.errors,
            "counts": {action: self.count(action) for action in (CREATED, UPDATED, UNCHANGED)},
        }

    @classmethod
    def from_summary(cls, summary: dict[str, Any]) -> OutcomePlan:
        return cls(
            rows=[RowPlan(**row) for row in summary.get("rows", [])],
            errors=list(summary.get("errors", [])),
        )


def _people(program: Program) -> dict[str, Profile]:
    """Every way a row may name a person of the program: roster id or email (lower case)."""
    found: dict[str, Profile] = {}
    for profile in Profile.objects.filter(program=program).select_related("user", "program"):
        found[profile.user.email.lower()] = profile
        if profile.roster_id:
            found[profile.roster_id.lower()] = profile
    return found


def parse_outcomes(
    program: Program, content: str, *, today: dt.date | None = None
) -> tuple[list[OutcomeRow], list[dict[str, Any]]]:
    """Valid rows and every error (line, column, message); writes nothing."""
    today = today or timezone.localdate()
    errors: list[dict[str, Any]] = []
    refusal = text_problem(content)
    if refusal is not None:
        return [], [refusal.as_dict()]
    reader = csv.reader(io.StringIO(text_normalise(content), newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        return [], [problem(1, "", "the file is empty; a header row is required")]
    except csv.Error as exc:
        return [], [problem(1, "", f"unreadable CSV: {exc}")]
    for name in header:
        if name not in COLUMNS:
            shown = name or "(empty)"
            errors.append(
                problem(1, shown, f"unknown column {shown!r}; allowed: {', '.join(COLUMNS)}")
            )
        elif header.count(name) > 1:
            errors.append(problem(1, name, f"column {name!r} appears twice"))
    for name in REQUIRED:
        if name not in header:
            errors.append(problem(1, name, f"the required column {name!r} is missing"))
    if errors:
        return [], _unique(errors)
    people = _people(program)
    rows: list[OutcomeRow] = []
    line = 1
    try:
        for cells in reader:
            line, start = reader.line_num, line + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                errors.append(
                    problem(start, "", f"{len(cells)} cells where the header has {len(header)}")
                )
                continue
            record = dict(zip(header, (cell.strip() for cell in cells), strict=True))
            row = _row(program, people, start, record, errors, today=today)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        errors.append(problem(reader.line_num, "", f"unreadable CSV: {exc}"))
    if not rows and not errors:
        errors.append(problem(2, "", "the file has a header but no outcomes"))
    return rows, errors


def _unique(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, kept = set(), []
    for error in errors:
        key = tuple(error.values())
        if key not in seen:
            seen.add(key)
            kept.append(error)
    return kept


def _row(
    program: Program,
    people: dict[str, Profile],
    line: int,
    record: dict[str, str],
    errors: list[dict[str, Any]],
    *,
    today: dt.date,
) -> OutcomeRow | None:
    before = len(errors)
    person = record["person"]
    profile = people.get(person.lower())
    if not person:
        errors.append(problem(line, "person", "empty; give the roster id or email"))
    elif profile is None:
        errors.append(problem(line, "person", f"no one in this program has id or email {person!r}"))
    kind = record["kind"].lower().replace("-", "_").replace(" ", "_")
    if kind not in KIND_COLUMNS:
        errors.append(
            problem(line, "kind", f"{record['kind']!r} is not one of {', '.join(KIND_COLUMNS)}")
        )
        return None
    needed, optional = KIND_COLUMNS[kind]
    for name in needed:
        if not record.get(name):
            errors.append(problem(line, name, f"a {kind} needs a {name}"))
    for name, value in record.items():
        if value and name not in (*REQUIRED, *needed, *optional):
            errors.append(problem(line, name, f"does not apply to a {kind}; leave it empty"))
    values: dict[str, Any] = {}
    cleaners = {
        "date": lambda v: validation.clean_date(v, today=today),
        "year": lambda v: validation.clean_year(v, today=today),
        "reason": lambda v: validation.clean_choice(v, Departure.Reason.choices, "reason"),
        "scope": lambda v: validation.clean_choice(v, Departure.Scope.choices, "scope"),
        "from_rung": lambda v: validation.clean_rung(program, v),
        "to_rung": lambda v: validation.clean_rung(program, v),
        "role": lambda v: validation.clean_choice(v, Grant.Role.choices, "grant role"),
        "doi": validation.clean_doi,
        "pmid": validation.clean_pmid,
    }
    for name in (*needed, *optional):
        value = record.get(name, "")
        if not value:
            continue
        try:
            values[name] = cleaners[name](value) if name in cleaners else value
        except ValueError as error:
            errors.append(problem(line, name, str(error)))
    if (
        kind == "rank_change"
        and values.get("from_rung")
        and values.get("from_rung") == values.get("to_rung")
    ):
        errors.append(problem(line, "to_rung", "the new rung must differ from the old one"))
    if len(errors) > before or profile is None:
        return None
    return OutcomeRow(line=line, person=person, kind=kind, profile=profile, values=values)


def _describe(row: OutcomeRow) -> str:
    v = row.values
    return {
        "departure": lambda: f"left on {v['date']} ({v['reason']})",
        "rank_change": lambda: f"{v['from_rung']} → {v['to_rung']} on {v['date']}",
        "fellowship": lambda: f"{v['fellowship']} ({v['year']})",
        "publication": lambda: f"{v['title']} ({v['year']})",
        "grant": lambda: f"{v['funder']}, {v['role']} ({v['year']})",
    }[row.kind]()


def _key(row: OutcomeRow) -> tuple[Any, ...]:
    """What makes two rows the same outcome (as the services deduplicate)."""
    v = row.values
    base = (row.profile.pk, row.kind)
    if row.kind == "departure":
        return base
    if row.kind == "rank_change":
        return (*base, v["to_rung"], v["date"])
    if row.kind == "fellowship":
        return (*base, v["year"])
    if row.kind == "grant":
        return (*base, v["funder"].lower(), v["role"], v["year"], v.get("title", "").lower())
    return (
        *base,
        v.get("doi") or v.get("pmid") or (" ".join(v["title"].split()).lower(), v["year"]),
    )


def _existing_action(row: OutcomeRow) -> str:
    v, profile = row.values, row.profile
    if row.kind == "departure":
        current = Departure.objects.filter(profile=profile).first()
        if current is None:
            return CREATED
        same = (current.left_on, current.reason, current.scope) == (
            v["date"],
            v["reason"],
            v.get("scope", Departure.Scope.INSTITUTION),
        )
        return UNCHANGED if same else UPDATED
    if row.kind == "rank_change":
        found = RankChange.objects.filter(
            profile=profile, to_rung=v["to_rung"], changed_on=v["date"]
        ).exists()
    elif row.kind == "fellowship":
        found = FellowshipMatch.objects.filter(profile=profile, year=v["year"]).exists()
    elif row.kind == "grant":
        found = (
            Grant.objects.annotate(f=Lower("funder"), t=Lower("title"))
            .filter(
                profile=profile,
                f=v["funder"].lower(),
                role=v["role"],
                year=v["year"],
                t=v.get("title", "").lower(),
            )
            .exists()
        )
    else:
        found = (
            services.publication_find(
                profile=profile,
                title=" ".join(v["title"].split()),
                year=v["year"],
                doi=v.get("doi", ""),
                pmid=v.get("pmid", ""),
            )
            is not None
        )
    return UNCHANGED if found else CREATED


def outcome_plan(*, program: Program, content: str) -> OutcomePlan:
    """A dry run: what importing ``content`` would do. Writes nothing."""
    rows, errors = parse_outcomes(program, content)
    if errors:
        return OutcomePlan(errors=errors)
    plan = OutcomePlan()
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        key = _key(row)
        if key in seen and row.kind == "departure":
            plan.errors.append(problem(row.line, "person", "a second departure for this person"))
            continue
        action = UNCHANGED if key in seen else _existing_action(row)
        seen.add(key)
        plan.rows.append(RowPlan(row.line, row.person, row.kind, action, _describe(row)))
    if plan.errors:
        return OutcomePlan(errors=plan.errors)
    return plan


def outcome_import_preview(
    *, program: Program, uploaded_by: User | None, filename: str, content: str
) -> OutcomeImport:
    record: OutcomeImport = import_preview(
        OUTCOMES, content=content, program=program, uploaded_by=uploaded_by, filename=filename[:255]
    )
    return record


def outcome_import_apply(*, outcome_import: OutcomeImport, by: User | None) -> OutcomePlan:
    """Apply a previewed import in one transaction: every row, or none if any is bad."""
    return OutcomePlan.from_summary(import_apply(OUTCOMES, record=outcome_import, by=by))


class OutcomesFile(ImportDefinition):
    """The outcomes CSV as an upload of the import pipeline."""

    name = "outcomes"
    model = OutcomeImport

    def plan(self, record: OutcomeImport) -> dict[str, Any]:
        return outcome_plan(program=record.program, content=record.content).as_summary()

    def write(self, record: OutcomeImport, *, by: User | None) -> dict[str, Any]:
        plan = outcome_plan(program=record.program, content=record.content)
        rows, _ = parse_outcomes(record.program, record.content)
        for row in rows:
            _apply_row(row, by=by)
        return plan.as_summary()

    def table(self, record: OutcomeImport) -> PreviewTable:
        summary = record.summary
        counts = summary["counts"]
        tones = {CREATED: "ok", UPDATED: "warn", UNCHANGED: ""}
        return PreviewTable(
            figures=[
                (counts[CREATED], "new outcomes"),
                (counts[UPDATED], "updated"),
                (counts[UNCHANGED], "already recorded"),
            ],
            caption="Rows",
            headers=["Line", "Person", "Kind", "Outcome", "Result"],
            rows=[
                [
                    cell(row["line"]),
                    cell(row["person"]),
                    cell(row["kind"]),
                    cell(row["what"]),
                    cell(row["action"], badge=tones[row["action"]]),
                ]
                for row in summary["rows"]
            ],
        )


OUTCOMES = OutcomesFile()


def _apply_row(row: OutcomeRow, *, by: User | None) -> None:
    v, profile, source = row.values, row.profile, Source.CSV
    if row.kind == "departure":
        services.departure_record(
            profile=profile,
            left_on=v["date"],
            reason=v["reason"],
            scope=v.get("scope", Departure.Scope.INSTITUTION),
            by=by,
            source=source,
        )
    elif row.kind == "rank_change":
        services.rank_change_record(
            profile=profile,
            from_rung=v["from_rung"],
            to_rung=v["to_rung"],
            changed_on=v["date"],
            by=by,
            source=source,
        )
    elif row.kind == "fellowship":
        services.fellowship_match_record(
            profile=profile, fellowship=v["fellowship"], year=v["year"], by=by, source=source
        )
    elif row.kind == "grant":
        services.grant_record(
            profile=profile,
            funder=v["funder"],
            role=v["role"],
            year=v["year"],
            title=v.get("title", ""),
            by=by,
            source=source,
        )
    else:
        services.publication_record(
            profile=profile,
            title=v["title"],
            year=v["year"],
            journal=v.get("journal", ""),
            doi=v.get("doi", ""),
            pmid=v.get("pmid", ""),
            by=by,
            source=source,
        )


def outcome_import_discard(*, outcome_import: OutcomeImport) -> None:
    import_discard(OUTCOMES, record=outcome_import)


def format_errors(errors: list[dict[str, Any]]) -> list[str]:
    return format_problems(errors)
