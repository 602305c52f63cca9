"""The one CSV writer of the project: every cell a spreadsheet could read as a formula is defused.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
single quote in front, so a name such as ``=HYPERLINK(...)`` opens as text, not as a formula.
Numbers pass unchanged (a plain ``-3`` or ``-0.5`` is data, not a formula). It lives beside the
matching engine because the engine imports nothing else of Tandem; the web app uses it through
``tandem.core.csvio``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: object) -> object:
    """The cell as it is safe to write: text that could start a formula gets a leading quote."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class SafeWriter:
    """``csv.writer`` with every cell passed through :func:`neutralise`."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """``csv.DictWriter`` with every value passed through :func:`neutralise`."""

    def __init__(self, out: _Writable, fieldnames: Sequence[str], **options: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = SafeWriter(out, **options)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, object]) -> None:
        unknown = set(row) - set(self.fieldnames)
        if unknown:
            raise ValueError(f"Fields not in the header: {', '.join(sorted(unknown))}")
        self._writer.writerow([row.get(name, "") for name in self.fieldnames])


def csv_writer(out: _Writable, **options: Any) -> SafeWriter:
    return SafeWriter(out, **options)


def csv_dict_writer(out: _Writable, fieldnames: Sequence[str], **options: Any) -> SafeDictWriter:
    return SafeDictWriter(out, fieldnames, **options)


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows as CSV text with ``\\n`` line ends, every cell defused."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
