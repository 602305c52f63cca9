"""One pipeline for every file a person uploads: decode, validate every row, preview, apply.

An app describes its file once (an ``ImportDefinition``: how to plan it, how to apply it, how
its preview reads); this module does what every import shares — the size and row limits, the
decoding that refuses Excel's Windows encoding and NUL with a clear sentence, the one error
model (line, column, message), the locked all-or-nothing apply and its audit signal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

PREVIEWED, APPLIED, DISCARDED = "previewed", "applied", "discarded"
SAVE_AS_UTF8 = (
    "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)”; in LibreOffice tick "
    "“Edit filter settings” and choose “Unicode (UTF-8)”."
)

# Sent inside the apply's transaction, once per applied file: the audit log listens.
import_applied = Signal()


@dataclass(frozen=True)
class ImportProblem:
    """One problem of a file; ``line`` counts from 1 with the header on line 1, and ``column``
    is empty when the problem is the line's or the file's as a whole."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def problem(line: int, column: str, message: str) -> dict[str, Any]:
    """A problem as stored in an import's summary."""
    return ImportProblem(line, column, message).as_dict()


def format_problems(errors: Iterable[Mapping[str, Any] | Any]) -> list[str]:
    """``line 3, column stage: …`` for each problem, whatever shape it came in."""
    lines = []
    for error in errors:
        item = error if isinstance(error, Mapping) else asdict(error)
        lines.append(str(ImportProblem(item["line"], item["column"] or "", item["message"])))
    return lines


class UploadRefused(Exception):
    """The file as a whole cannot be read; the message says what to do about it."""

    def __init__(self, message: str, *, line: int = 1) -> None:
        super().__init__(message)
        self.problem = ImportProblem(line, "", message)


def max_bytes() -> int:
    return int(settings.TANDEM_IMPORT_MAX_BYTES)


def max_rows() -> int:
    return int(settings.TANDEM_IMPORT_MAX_ROWS)


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.0f} MB"


def size_check(size: int) -> None:
    if size > max_bytes():
        raise UploadRefused(f"The file is larger than {_megabytes(max_bytes())}.")


def upload_decode(raw: bytes) -> str:
    """The text of an uploaded file: UTF-8 with or without a byte-order mark, any line ends.

    A file in Excel's Windows encoding (cp1252), in UTF-16 or holding NUL is refused with a
    sentence that says how to save it again.
    """
    size_check(len(raw))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRefused(f"The file is saved as UTF-16 text, not UTF-8. {SAVE_AS_UTF8}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError:
            raise UploadRefused("The file is not UTF-8 text.", line=line) from None
        raise UploadRefused(
            "The file is in Excel's Windows encoding (cp1252), not UTF-8, so accented letters "
            f"would be garbled. {SAVE_AS_UTF8}",
            line=line,
        ) from None
    return text_normalise(text)


@dataclass(frozen=True)
class UploadedText:
    """An uploaded file once read: its name, its text and the bytes it came as."""

    name: str
    text: str
    raw: bytes


class ImportFileField(forms.FileField):
    """A file field that reads the upload through ``upload_decode``: a form with it is valid
    only when the file is within the size limit and readable text."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not upload:
            return upload
        try:
            size_check(upload.size)
            raw = upload.read()
            return UploadedText(upload.name or "upload", upload_decode(raw), raw)
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused)) from None


def text_normalise(text: str) -> str:
    """Drop a byte-order mark and turn Windows and old Mac line ends into ``\\n``."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def text_problem(text: str) -> ImportProblem | None:
    """What makes a text unfit to import as a whole (NUL, too many rows), or None."""
    if "\x00" in text:
        # No database stores NUL in text (PostgreSQL refuses it); it means a binary file.
        line = text[: text.index("\x00")].count("\n") + 1
        return ImportProblem(line, "", "The file holds a NUL character; is it really a CSV?")
    rows = text.count("\n") + (0 if text.endswith("\n") else 1) - 1
    if rows > max_rows():
        return ImportProblem(max_rows() + 2, "", f"A file holds at most {max_rows():,} rows.")
    return None


def storable(text: str) -> str:
    """``text`` as a database can keep it: a refused file may still hold NUL."""
    return text.replace("\x00", "\ufffd")


class ImportRecord(Protocol):
    """The row an app keeps for each uploaded file (its ``…Import`` model)."""

    pk: Any
    status: str
    content: str
    summary: Any
    applied_at: Any

    def save(self, *args: Any, **kwargs: Any) -> None: ...


@dataclass(frozen=True)
class PreviewTable:
    """What the one preview template shows: figures, then a table of rows (or of counts)."""

    figures: list[tuple[Any, str]]
    caption: str
    headers: list[str]
    rows: list[list[dict[str, Any]]] = field(default_factory=list)
    numeric: frozenset[str] = frozenset({"Line"})
    note: str = ""

    @property
    def body(self) -> list[list[dict[str, Any]]]:
        """The rows with each cell's column name, as the template labels cells on phones."""
        return [
            [
                {**item, "label": header, "num": header in self.numeric}
                for header, item in zip(self.headers, row, strict=True)
            ]
            for row in self.rows
        ]


def cell(text: Any, *, badge: str | None = None) -> dict[str, Any]:
    """A cell of the preview table; ``badge`` ("ok", "warn" or "") shows it as a badge."""
    return {"text": text, "badge": badge}


class ImportDefinition:
    """What an app says about one kind of file; the pipeline does the rest.

    ``plan`` is a dry run (writes nothing) that returns the summary shown in the preview,
    with ``errors`` as a list of problems; ``write`` applies a file whose plan has no errors,
    inside the pipeline's transaction, and returns the summary to keep.
    """

    name = "file"
    model: type[models.Model]
    # Whether the stored file is kept once applied (a schedule is dropped: it is private).
    keeps_content = True
    refused_message = "The file has errors; nothing was imported."

    def plan(self, record: Any) -> dict[str, Any]:
        raise NotImplementedError

    def write(self, record: Any, *, by: Any) -> dict[str, Any]:
        raise NotImplementedError

    def table(self, record: Any) -> PreviewTable:
        """The preview of ``record`` (its summary holds no errors)."""
        raise NotImplementedError

    def audit_detail(self, record: Any, summary: dict[str, Any]) -> dict[str, Any]:
        """Counts for the audit log: never a name, an address or a cell of the file."""
        return {"counts": summary.get("counts", {})}


def planned(definition: ImportDefinition, record: Any) -> dict[str, Any]:
    """The definition's plan of ``record``, or the one problem that refuses the whole file."""
    refusal = text_problem(record.content)
    if refusal is not None:
        return {"errors": [refusal.as_dict()], "rows": [], "counts": {}}
    return definition.plan(record)


def import_preview(definition: ImportDefinition, *, content: str, **fields: Any) -> Any:
    """Store an uploaded file with its dry-run summary; nothing else is written. A refused
    file the definition does not keep is not stored at all, only its problems."""
    record: Any = definition.model(content=content, **fields)
    record.summary = planned(definition, record)
    keep = definition.keeps_content or not record.summary["errors"]
    record.content = storable(content) if keep else ""
    record.save()
    return record


def preview_context(definition: ImportDefinition, record: Any) -> dict[str, Any]:
    """What the one preview template needs for ``record``."""
    summary = record.summary
    return {
        "record": record,
        "summary": summary,
        "table": None if summary.get("errors") else definition.table(record),
        "can_apply": record.status == PREVIEWED and not summary.get("errors"),
    }


def import_apply(definition: ImportDefinition, *, record: Any, by: Any) -> dict[str, Any]:
    """Apply a previewed file in one transaction: every row, or none if any is bad.

    The import row is locked (``select_for_update``) so two clicks on Apply cannot import
    twice; the file is planned again, since the program may have changed since the preview.
    """
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        if locked.status != PREVIEWED:
            raise ValidationError("This import has already been applied or discarded.")
        if planned(definition, locked)["errors"]:
            raise ValidationError(definition.refused_message)
        summary = definition.write(locked, by=by)
        locked.status = APPLIED
        locked.applied_at = timezone.now()
        locked.summary = summary
        if not definition.keeps_content:
            locked.content = ""
        locked.save()
        import_applied.send(
            sender=type(definition),
            kind=definition.name,
            record=locked,
            by=by,
            detail=definition.audit_detail(locked, summary),
        )
    record.status, record.applied_at, record.summary = APPLIED, locked.applied_at, summary
    return summary


def import_discard(definition: ImportDefinition, *, record: Any) -> None:
    """Discard a previewed file; a file the definition does not keep is emptied too."""
    with transaction.atomic():
        locked = type(record).objects.select_for_update().filter(pk=record.pk).first()
        if locked is None or locked.status != PREVIEWED:
            return
        locked.status = DISCARDED
        if not definition.keeps_content:
            locked.content = ""
        locked.save()
    record.status = DISCARDED
