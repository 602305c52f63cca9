"""Publications from an ORCID works export (JSON) or a PubMed MEDLINE-format file.

The parsers are pure functions returning plain records; ``publications_import`` then records
them for one person through ``services.publication_record``, which matches on DOI and PMID so
importing the same file again adds nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem.accounts.models import User
from tandem.outcomes import services
from tandem.outcomes.models import Source
from tandem.programs.models import Profile

ORCID, PUBMED = "orcid", "pubmed"


@dataclass(frozen=True)
class FoundPublication:
    """One work as read from a file: ``problem`` says why it cannot be recorded, if so."""

    title: str
    journal: str = ""
    year: int | None = None
    doi: str = ""
    pmid: str = ""
    where: str = ""  # "work 3" or "record 2", to point at the file in messages


@dataclass
class PublicationImportResult:
    added: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)


class PublicationFileError(ValueError):
    """The file is not an ORCID works export or a MEDLINE file at all."""


def _value(node: Any, *path: str) -> str:
    """ORCID wraps most strings as {"value": ...}; null anywhere on the way means empty."""
    for key in path:
        if not isinstance(node, dict):
            return ""
        node = node.get(key)
    if isinstance(node, dict):
        node = node.get("value")
    return str(node).strip() if node not in (None, "") else ""


def _year(text: str) -> int | None:
    match = re.search(r"\b(1[89]\d\d|2\d\d\d)\b", text)
    return int(match.group(1)) if match else None


def parse_orcid_works(text: str) -> list[FoundPublication]:
    """Works of an ORCID ``/works`` response (or a whole record's ``activities-summary``).

    A group is one work as merged by ORCID from several sources; its first summary is used,
    with the group's own identifiers where the summary lacks them.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PublicationFileError(f"not valid JSON (line {error.lineno}): {error.msg}") from None
    if not isinstance(document, dict):
        raise PublicationFileError("an ORCID works export is a JSON object with a 'group' list")
    if "group" not in document and isinstance(document.get("activities-summary"), dict):
        document = document["activities-summary"].get("works") or {}
    groups = document.get("group")
    if not isinstance(groups, list):
        raise PublicationFileError("an ORCID works export is a JSON object with a 'group' list")
    found = []
    for number, group in enumerate(groups, start=1):
        summaries = group.get("work-summary") if isinstance(group, dict) else None
        if not summaries:
            continue
        work = summaries[0]
        ids = _orcid_ids(work) or _orcid_ids(group)
        found.append(
            FoundPublication(
                title=_value(work, "title", "title"),
                journal=_value(work, "journal-title"),
                year=_year(_value(work, "publication-date", "year")),
                doi=ids.get("doi", ""),
                pmid=ids.get("pmid", ""),
                where=f"work {number}",
            )
        )
    return found


def _orcid_ids(node: dict[str, Any]) -> dict[str, str]:
    ids: dict[str, str] = {}
    external = (node.get("external-ids") or {}).get("external-id") or []
    for item in external:
        kind = str(item.get("external-id-type") or "").lower()
        # "part-of" ids name the journal or book (an ISSN, an ISBN), not this work.
        if item.get("external-id-relationship", "self") != "self":
            continue
        value = _value(item, "external-id-value") or _value(item, "external-id-normalized")
        if kind in ("doi", "pmid") and value and kind not in ids:
            ids[kind] = value
    return ids


_TAG = re.compile(r"^([A-Z]{2,4})\s*-\s?(.*)$")


def parse_medline(text: str) -> list[FoundPublication]:
    """Records of a PubMed file saved in MEDLINE format (PMID, TI, JT/TA, DP, AID/LID)."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] = {}
    last_tag = ""
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip():
            if current:
                records.append(current)
            current, last_tag = {}, ""
            continue
        if line.startswith("      ") and last_tag:
            current[last_tag][-1] += " " + line.strip()
            continue
        match = _TAG.match(line)
        if match is None:
            continue
        last_tag = match.group(1)
        current.setdefault(last_tag, []).append(match.group(2).strip())
    if current:
        records.append(current)
    records = [record for record in records if "PMID" in record]
    if not records:
        raise PublicationFileError(
            "no PubMed records found; save the search from PubMed with Save → Format: PubMed"
        )
    found = []
    for number, record in enumerate(records, start=1):
        doi = ""
        for tag in ("AID", "LID"):
            for entry in record.get(tag, []):
                if entry.endswith("[doi]") and not doi:
                    doi = entry.removesuffix("[doi]").strip()
        journal = (record.get("JT") or record.get("TA") or [""])[0]
        found.append(
            FoundPublication(
                title=(record.get("TI") or [""])[0],
                journal=journal,
                year=_year((record.get("DP") or [""])[0]),
                doi=doi,
                pmid=record["PMID"][0],
                where=f"record {number} (PMID {record['PMID'][0]})",
            )
        )
    return found


def detect_format(text: str) -> str:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        return ORCID
    if re.search(r"^PMID\s*-", stripped, re.MULTILINE):
        return PUBMED
    raise PublicationFileError(
        "this is neither an ORCID works export (JSON) nor a PubMed file in MEDLINE format"
    )


def publications_import(
    *, profile: Profile, content: str, by: User | None, file_format: str = ""
) -> PublicationImportResult:
    """Record every publication of the file for ``profile``, all or none, skipping duplicates.

    Works without a title or a year are skipped and named in the result; a file that cannot
    be read at all raises ValidationError and records nothing.
    """
    try:
        file_format = file_format or detect_format(content)
        parse = parse_orcid_works if file_format == ORCID else parse_medline
        found = parse(content)
    except PublicationFileError as error:
        raise ValidationError(str(error)) from None
    source = Source.ORCID if file_format == ORCID else Source.PUBMED
    result = PublicationImportResult()
    with transaction.atomic():
        for work in found:
            if not work.title or work.year is None:
                missing = "title" if not work.title else "year"
                result.skipped.append(f"{work.where}: no {missing}")
                continue
            try:
                _, created = services.publication_record(
                    profile=profile,
                    title=work.title,
                    year=work.year,
                    journal=work.journal,
                    doi=work.doi,
                    pmid=work.pmid,
                    by=by,
                    source=source,
                )
            except ValidationError as error:
                result.skipped.append(f"{work.where}: {' '.join(error.messages)}")
                continue
            if created:
                result.added += 1
            else:
                result.already += 1
    return result
