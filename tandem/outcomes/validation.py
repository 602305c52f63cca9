"""Cleaning of outcome values shared by the forms, the CSV import and the publication imports.

Each function returns the value in its stored spelling or raises ValueError with a message a
coordinator can act on; the callers attach the field, line or column.
"""

from __future__ import annotations

import datetime as dt
import re

from tandem.programs.models import Program

EARLIEST_YEAR = 1950
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")


def clean_doi(value: str) -> str:
    """``10.1000/XYZ`` in lower case (DOIs are case-insensitive); empty stays empty."""
    text = value.strip()
    for prefix in _DOI_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    text = text.strip().lower()
    if text and not _DOI.match(text):
        raise ValueError(f"{value.strip()!r} is not a DOI (they look like 10.1056/nejmoa2034577)")
    return text


def clean_pmid(value: str) -> str:
    text = value.strip()
    if text and not (text.isdigit() and len(text) <= 9):
        raise ValueError(f"{text!r} is not a PubMed id (PMIDs are up to 9 digits)")
    return text.lstrip("0") if text else ""


def clean_year(value: str | int, *, today: dt.date) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a year such as {today.year}") from None
    if not EARLIEST_YEAR <= year <= today.year + 1:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {today.year + 1}")
    return year


def clean_date(value: str | dt.date, *, today: dt.date) -> dt.date:
    """An ISO date (YYYY-MM-DD) that is not in the future."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date written as YYYY-MM-DD") from None
    if day > today:
        raise ValueError("the date is in the future")
    if day.year < EARLIEST_YEAR:
        raise ValueError(f"the date is before {EARLIEST_YEAR}")
    return day


def clean_rung(program: Program, value: str) -> str:
    """A label of the program's ladder, in the program's own spelling."""
    index = program.stage_index(value)
    if index is None:
        raise ValueError(f"{value.strip()!r} is not on the ladder ({', '.join(program.ladder)})")
    return str(program.ladder[index])


def clean_choice(value: str, choices: list[tuple[str, str]], what: str) -> str:
    """A choice by its code or its label, case-insensitive."""
    lowered = value.strip().lower()
    for code, label in choices:
        if lowered in (code.lower(), label.lower()):
            return code
    codes = ", ".join(code for code, _ in choices)
    raise ValueError(f"{value.strip()!r} is not a {what}; use one of {codes}")
