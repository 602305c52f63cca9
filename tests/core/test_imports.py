"""The import pipeline every upload shares: decoding, limits and the one error model.

Roster, outcomes and schedule files are refused the same way for the same reason; the apps'
own tests check their rows, this file checks what happens before any row is read.
"""

from __future__ import annotations

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.imports import (
    ImportFileField,
    ImportProblem,
    UploadRefused,
    format_problems,
    text_problem,
    upload_decode,
)


def test_utf8_with_a_byte_order_mark_and_windows_line_ends_reads_as_plain_text() -> None:
    raw = "\ufeffid,name\r\nR1,Zoë\r\n".encode()
    assert upload_decode(raw) == "id,name\nR1,Zoë\n"


def test_old_mac_line_ends_become_newlines() -> None:
    assert upload_decode(b"id,name\rR1,Ann\r") == "id,name\nR1,Ann\n"


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\x00")))
def test_any_utf8_text_survives_a_bom_and_windows_line_ends(text: str) -> None:
    raw = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    assert upload_decode(raw) == text.removeprefix("\ufeff")


def test_excels_windows_encoding_is_refused_with_how_to_save_as_utf8() -> None:
    raw = "id,name\nR1,Zoë Müller\n".encode("cp1252")
    with pytest.raises(UploadRefused) as refused:
        upload_decode(raw)
    message = str(refused.value)
    assert "cp1252" in message
    assert "not UTF-8" in message
    assert "CSV UTF-8" in message
    assert refused.value.problem.line == 2


def test_utf16_is_refused_with_how_to_save_as_utf8() -> None:
    with pytest.raises(UploadRefused, match=r"UTF-16.*CSV UTF-8"):
        upload_decode("id,name\n".encode("utf-16"))


def test_bytes_that_are_no_known_text_are_refused() -> None:
    # 0x81 is undefined in cp1252 and cannot start a UTF-8 character.
    with pytest.raises(UploadRefused, match="not UTF-8"):
        upload_decode(b"id,name\n\x81\x81\n")


def test_a_file_over_the_size_limit_is_refused(settings) -> None:
    settings.TANDEM_IMPORT_MAX_BYTES = 1024
    with pytest.raises(UploadRefused, match="larger than 1 KB"):
        upload_decode(b"x" * 1025)
    assert upload_decode(b"x" * 1024) == "x" * 1024


def test_a_nul_character_is_refused_with_its_line() -> None:
    found = text_problem("id,name\nR1,Ann\nR2,B\x00b\n")
    assert found == ImportProblem(3, "", "The file holds a NUL character; is it really a CSV?")


def test_more_rows_than_the_limit_are_refused(settings) -> None:
    settings.TANDEM_IMPORT_MAX_ROWS = 2
    assert text_problem("id\n1\n2\n") is None
    assert text_problem("id\n1\n2") is None
    found = text_problem("id\n1\n2\n3\n")
    assert found is not None
    assert "at most 2 rows" in found.message


def test_problems_read_the_same_whatever_their_shape() -> None:
    problems = [
        {"line": 2, "column": "stage", "message": "unknown stage"},
        ImportProblem(1, "", "The file is empty."),
    ]
    assert format_problems(problems) == [
        "line 2, column stage: unknown stage",
        "line 1: The file is empty.",
    ]


class _Upload(forms.Form):
    file = ImportFileField()


def test_the_upload_field_gives_the_text_or_the_reason_it_cannot() -> None:
    good = _Upload(
        files=MultiValueDict({"file": [SimpleUploadedFile("r.csv", "id\r\nZoë\r\n".encode())]})
    )
    assert good.is_valid()
    assert good.cleaned_data["file"].text == "id\nZoë\n"
    assert good.cleaned_data["file"].name == "r.csv"
    bad = _Upload(
        files=MultiValueDict({"file": [SimpleUploadedFile("r.csv", "id\nZoë\n".encode("cp1252"))]})
    )
    assert not bad.is_valid()
    assert "cp1252" in bad.errors["file"][0]
