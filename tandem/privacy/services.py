"""Data rights: a person downloads everything Tandem holds about them, or deletes their account.

Both draw on the registry every app adds to (``tandem.core.personal_data``). Deletion runs each
app's eraser and then deletes the account in one transaction; the audit log keeps only that an
account (by id) was deleted.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.csvio import csv_dict_writer
from tandem.core.personal_data import sources

FORMAT_VERSION = 1


def personal_data_collect(user: User) -> dict[str, Any]:
    """Every registered section of ``user``'s data, as JSON-ready values."""
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "user_id": user.pk,
        "sections": {source.name: source.personal_data(user) for source in sources()},
    }


def personal_data_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _rows(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [row if isinstance(row, dict) else {"value": row} for row in value]
    if isinstance(value, dict):
        return [value]
    return [{"value": value}]


def _tables(section: str, value: Any) -> dict[str, list[dict[str, Any]]]:
    """A section as CSV tables: its plain fields in one, each list in its own."""
    if not isinstance(value, dict):
        return {section: _rows(value)}
    tables = {}
    plain = {key: item for key, item in value.items() if not isinstance(item, list)}
    if plain:
        tables[section] = [plain]
    for key, item in value.items():
        if isinstance(item, list):
            tables[f"{section}-{key}"] = _rows(item)
    return tables


def _csv(rows: list[dict[str, Any]]) -> str:
    columns = sorted({key for row in rows for key in row})
    text = io.StringIO()
    writer = csv_dict_writer(text, columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: json.dumps(item) if isinstance(item, list | dict) else item
                for key, item in row.items()
            }
        )
    return text.getvalue()


def personal_data_zip(data: dict[str, Any]) -> bytes:
    """The same data as a zip: the JSON file, and a CSV per table for spreadsheets."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("tandem-data.json", personal_data_json(data))
        for section, value in data["sections"].items():
            for table, rows in _tables(section, value).items():
                if rows:
                    archive.writestr(f"{table}.csv", _csv(rows))
    return buffer.getvalue()


def account_delete(*, user: User, request: Any = None) -> None:
    """Erase the person's data from every app, then the account itself, all or nothing."""
    user_id = user.pk
    with transaction.atomic():
        for source in sources():
            if source.erase is not None:
                source.erase(user)
        user.delete()
        audit_record(
            action=AuditEvent.Action.ACCOUNT_DELETED,
            target_type="accounts.user",
            target_id=user_id,
            request=request,
        )
