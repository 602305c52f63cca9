"""The de-identified research export: a registry of column sources, k-anonymity, and writers.

Apps add columns with :func:`register_source` (surveys add scores, outcomes add retention…):
a source names its columns and returns, for the consenting people of a cohort, each one's
values. The export keeps only consenting, not-withdrawn people, replaces them with keyed-hash
study ids, generalises quasi-identifiers until every combination holds at least ``K`` people,
and writes a plain CSV or a REDCap data dictionary and records file, each with a codebook.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import zipfile
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.utils import timezone

from tandem.core.csvio import csv_text
from tandem.core.suppression import K
from tandem.programs.models import Cohort
from tandem.research import kanon, selectors
from tandem.research.models import StudyProtocol

FORM_NAME = "tandem_export"
Kind = Literal["category", "integer", "number"]

ColumnValues = Callable[[Cohort, Set[int]], Mapping[int, Mapping[str, object]]]


@dataclass(frozen=True)
class Column:
    """One exported variable. ``name`` is a valid REDCap variable name (lower_snake_case)."""

    name: str
    label: str
    kind: Kind
    description: str
    choices: tuple[str, ...] = ()
    # Quasi-identifiers get a generalisation hierarchy, ending with the fully suppressed "*".
    hierarchy: tuple[kanon.Generaliser, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,25}", self.name):
            raise ValueError(f"Not a valid export variable name: {self.name!r}")

    @property
    def is_quasi_identifier(self) -> bool:
        return bool(self.hierarchy)


ColumnsFor = Callable[[Cohort], Sequence[Column]]


@dataclass(frozen=True)
class Source:
    name: str
    columns: tuple[Column, ...]
    values: ColumnValues
    # For columns that depend on the cohort (one per survey wave, say); never quasi-identifiers.
    columns_for: ColumnsFor | None = None

    def columns_of(self, cohort: Cohort) -> tuple[Column, ...]:
        if self.columns_for is None:
            return self.columns
        return (*self.columns, *self.columns_for(cohort))


_SOURCES: dict[str, Source] = {}


def register_source(
    name: str,
    fn: ColumnValues,
    *,
    columns: Sequence[Column] = (),
    columns_for: ColumnsFor | None = None,
) -> None:
    """Add (or replace) a source of columns. Values must never be free text, names or dates.

    ``columns_for`` names columns that depend on the cohort; their names must carry a prefix
    no other source uses, and they may not be quasi-identifiers.
    """
    taken = {
        column.name
        for source in _SOURCES.values()
        if source.name != name
        for column in source.columns
    }
    clash = taken & {column.name for column in columns}
    if clash or any(column.name == "record_id" for column in columns):
        raise ValueError(f"Column names already used: {sorted(clash) or ['record_id']}")
    _SOURCES[name] = Source(name=name, columns=tuple(columns), values=fn, columns_for=columns_for)


def registered_sources() -> tuple[Source, ...]:
    return tuple(_SOURCES.values())


def research_id_key() -> bytes:
    """The HMAC key of study ids: its own setting, else derived from SECRET_KEY for a purpose."""
    configured = getattr(settings, "RESEARCH_ID_KEY", "")
    if configured:
        return str(configured).encode()
    return hmac.new(
        str(settings.SECRET_KEY).encode(), b"tandem.research.study-id", hashlib.sha256
    ).digest()


def export_salt(protocol: StudyProtocol) -> bytes:
    """Fresh random bytes for one export, or none when the protocol declares a longitudinal
    design (then a person's study id is the same in every export of the study)."""
    return b"" if protocol.longitudinal else secrets.token_bytes(16)


def study_id(protocol: StudyProtocol, user_id: int, *, salt: bytes = b"") -> str:
    """A keyed hash of the person within the study, and within one export unless ``salt`` is
    empty: the salt is drawn for the export and thrown away, so two exports cannot be joined."""
    message = f"{protocol.pk}:{user_id}".encode() + (b":" + salt.hex().encode() if salt else b"")
    return "s" + hmac.new(research_id_key(), message, hashlib.sha256).hexdigest()[:15]


@dataclass(frozen=True)
class Dataset:
    cohort: Cohort
    columns: tuple[Column, ...]
    records: tuple[dict[str, str], ...]  # each with "record_id" first
    consenting: int
    suppressed_records: int
    levels: dict[str, int] = field(default_factory=dict)
    longitudinal: bool = False

    @property
    def quasi_identifiers(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.is_quasi_identifier)

    def values_of(self, column: Column) -> list[str]:
        """The values the column takes: its declared choices, then any others in the data."""
        seen = list(column.choices)
        for record in self.records:
            value = record[column.name]
            if value != "" and value not in seen:
                seen.append(value)
        return seen


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def build_dataset(cohort: Cohort) -> Dataset:
    """Consenting people of the cohort's study, de-identified and k-anonymous."""
    by_source = {source.name: source.columns_of(cohort) for source in _SOURCES.values()}
    columns = tuple(column for found in by_source.values() for column in found)
    if len({column.name for column in columns}) != len(columns):
        raise ValueError("Two export sources named the same column for this cohort.")
    if any(
        column.is_quasi_identifier
        for source in _SOURCES.values()
        for column in by_source[source.name][len(source.columns) :]
    ):
        raise ValueError("Columns that depend on the cohort cannot be quasi-identifiers.")
    protocol = selectors.protocol_for(cohort)
    if protocol is None:
        return Dataset(
            cohort=cohort, columns=columns, records=(), consenting=0, suppressed_records=0
        )
    people = selectors.consenting_user_ids(protocol)
    rows: dict[int, dict[str, str]] = {person: {} for person in people}
    for source in _SOURCES.values():
        values = source.values(cohort, people)
        for person in people:
            found = values.get(person, {})
            for column in by_source[source.name]:
                rows[person][column.name] = _text(found.get(column.name))
    hierarchies = {
        column.name: column.hierarchy for column in columns if column.is_quasi_identifier
    }
    anonymised = kanon.anonymise([rows[person] for person in sorted(people)], hierarchies, k=K)
    salt = export_salt(protocol)
    ids = [study_id(protocol, person, salt=salt) for person in sorted(people)]
    records = [
        {"record_id": identifier, **record}
        for identifier, record in zip(ids, anonymised.records, strict=False)
    ]
    # Sorted by study id so the order says nothing about when people joined.
    records.sort(key=lambda record: record["record_id"])
    return Dataset(
        cohort=cohort,
        columns=columns,
        records=tuple(records),
        consenting=len(people),
        suppressed_records=anonymised.suppressed_records,
        levels=anonymised.levels,
        longitudinal=protocol.longitudinal,
    )


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    return csv_text(header, rows)


def dataset_csv(dataset: Dataset) -> str:
    names = ["record_id", *(column.name for column in dataset.columns)]
    return _csv(names, [[record[name] for name in names] for record in dataset.records])


CODEBOOK_HEADER = ("variable", "label", "type", "values", "description")


def codebook_csv(dataset: Dataset) -> str:
    rows: list[list[str]] = [
        [
            "record_id",
            "Study id",
            "text",
            "",
            "A keyed hash of the person within this study. "
            + (
                "The study is longitudinal: a person keeps this id in every export."
                if dataset.longitudinal
                else "It holds within this export only: another export gives new ids."
            ),
        ]
    ]
    for column in dataset.columns:
        values = (
            "; ".join(dataset.values_of(column))
            if column.kind == "category"
            else {"integer": "whole number", "number": "number"}[column.kind]
        )
        description = column.description
        if column.is_quasi_identifier:
            description += (
                f" Quasi-identifier: generalised (level {dataset.levels.get(column.name, 0)}) "
                f"until every combination holds at least {K} people; * means suppressed."
            )
        rows.append([column.name, column.label, column.kind, values, description])
    return _csv(CODEBOOK_HEADER, rows)


# REDCap's data dictionary header: 18 columns, in this order.
REDCAP_HEADER = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)


def _redcap_label(text: str) -> str:
    # "|" separates choices and "," separates a code from its label's start; keep labels plain.
    return text.replace("|", "/").replace("\n", " ")


def _dictionary_row(name: str, field_type: str, label: str, **extra: str) -> list[str]:
    row = dict.fromkeys(REDCAP_HEADER, "")
    row.update(
        {
            "Variable / Field Name": name,
            "Form Name": FORM_NAME,
            "Field Type": field_type,
            "Field Label": _redcap_label(label),
        }
    )
    keys = {
        "choices": "Choices, Calculations, OR Slider Labels",
        "note": "Field Note",
        "validation": "Text Validation Type OR Show Slider Number",
        "minimum": "Text Validation Min",
    }
    for key, value in extra.items():
        row[keys[key]] = value
    return [row[header] for header in REDCAP_HEADER]


def redcap_codes(dataset: Dataset, column: Column) -> dict[str, str]:
    return {value: str(index) for index, value in enumerate(dataset.values_of(column), start=1)}


def redcap_dictionary_csv(dataset: Dataset) -> str:
    rows = [_dictionary_row("record_id", "text", "Study id")]
    for column in dataset.columns:
        if column.kind == "category":
            choices = " | ".join(
                f"{code}, {_redcap_label(value)}"
                for value, code in redcap_codes(dataset, column).items()
            )
            rows.append(
                _dictionary_row(
                    column.name, "dropdown", column.label, choices=choices, note=column.description
                )
            )
        elif column.kind == "number":
            rows.append(
                _dictionary_row(
                    column.name, "text", column.label, validation="number", note=column.description
                )
            )
        else:
            rows.append(
                _dictionary_row(
                    column.name,
                    "text",
                    column.label,
                    validation="integer",
                    minimum="0",
                    note=column.description,
                )
            )
    return _csv(REDCAP_HEADER, rows)


def redcap_records_csv(dataset: Dataset) -> str:
    """Records REDCap imports against the dictionary: choice fields by their codes."""
    codes = {
        column.name: redcap_codes(dataset, column)
        for column in dataset.columns
        if column.kind == "category"
    }
    names = ["record_id", *(column.name for column in dataset.columns)]
    rows = []
    for record in dataset.records:
        rows.append(
            [codes[name].get(record[name], "") if name in codes else record[name] for name in names]
        )
    return _csv(names, rows)


def readme(dataset: Dataset, fmt: str) -> str:
    released = len(dataset.records)
    lines = [
        f"# De-identified export — {dataset.cohort.program.name}, {dataset.cohort.name}",
        "",
        f"Generated in {timezone.localdate().year}. Only people who consented to the study and "
        "have not withdrawn are included; study ids are keyed hashes; no names, emails, exact "
        "dates or free text.",
        "",
        f"- Records released: {released}",
        f"- Quasi-identifiers ({', '.join(dataset.quasi_identifiers)}) are generalised until "
        f"every combination holds at least {K} people; "
        f"{dataset.suppressed_records} records had all of them suppressed.",
    ]
    if dataset.consenting and not released:
        lines.append(f"- Fewer than {K} people consent, so no record can be released yet.")
    lines.append("")
    if fmt == "redcap":
        lines.append(
            "Import into REDCap: Project setup → Data dictionary → upload "
            "redcap_data_dictionary.csv; then Data Import Tool → upload redcap_records.csv."
        )
    else:
        lines.append("dataset.csv holds one row per person; codebook.csv describes each column.")
    return "\n".join(lines) + "\n"


FORMATS = ("csv", "redcap")


def export_files(dataset: Dataset, fmt: str) -> dict[str, str]:
    """File name → contents for one export."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}: choose csv or redcap.")
    files = {"codebook.csv": codebook_csv(dataset), "README.md": readme(dataset, fmt)}
    if fmt == "redcap":
        files["redcap_data_dictionary.csv"] = redcap_dictionary_csv(dataset)
        files["redcap_records.csv"] = redcap_records_csv(dataset)
    else:
        files["dataset.csv"] = dataset_csv(dataset)
    return files


def zip_bytes(files: Mapping[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            # A fixed timestamp: the archive carries no date finer than what the data allow.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, text)
    return buffer.getvalue()
