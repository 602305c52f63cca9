"""What the import commands share: reading the file a person names, with a clear error."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def uploaded_text(path: Path) -> str:
    """The text of a CSV the person named (UTF-8, with or without a byte-order mark)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text; save it as CSV UTF-8.") from None
