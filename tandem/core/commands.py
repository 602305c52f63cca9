"""What the import commands share: reading the file a person names, with a clear error."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from tandem.core.imports import UploadRefused, text_problem, upload_decode


def uploaded_text(path: Path) -> str:
    """The text of a CSV the person named, read as an upload is (UTF-8, with or without a
    byte-order mark; Excel's Windows encoding, NUL or too many rows refused)."""
    try:
        text = upload_decode(path.read_bytes())
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UploadRefused as refused:
        raise CommandError(f"{path}: {refused.problem}") from None
    refusal = text_problem(text)
    if refusal is not None:
        raise CommandError(f"{path}: {refusal}")
    return text
