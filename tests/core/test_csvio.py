"""The one CSV writer: formulas are defused in every cell, and no module writes CSV without it."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.csvio import FORMULA_STARTS, csv_dict_writer, csv_text, neutralise

TANDEM = Path(__file__).resolve().parents[2] / "tandem"
THE_WRITER = TANDEM / "engine" / "csvio.py"


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_cells_that_could_start_a_formula_get_a_leading_quote():
    for cell in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'):
        assert neutralise(cell) == "'" + cell


def test_numbers_and_ordinary_text_pass_unchanged():
    for cell in ("-3", "-0.5", "+1", "1e-3", "Ana Ruiz", "1–2", "", "'quoted"):
        assert neutralise(cell) == cell
    assert neutralise(-3) == -3
    assert neutralise(None) is None


@given(
    st.lists(
        st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"])), max_size=4),
        max_size=4,
    )
)
def test_no_written_cell_reads_back_as_a_formula(rows):
    for row in parsed(csv_text(["a"], rows))[1:]:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                float(cell)  # only a plain number may start with a sign


def test_the_dict_writer_defuses_values_and_refuses_unknown_fields():
    buffer = io.StringIO()
    writer = csv_dict_writer(buffer, ["name"])
    writer.writeheader()
    writer.writerow({"name": "=cmd|' /C calc'!A0"})
    assert parsed(buffer.getvalue())[1] == ["'=cmd|' /C calc'!A0"]
    with pytest.raises(ValueError, match="other"):
        writer.writerow({"other": "x"})


def _raw_csv_writers(path: Path) -> list[str]:
    """Where ``path`` calls csv.writer or csv.DictWriter, or imports them from csv."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        attribute = (
            isinstance(node, ast.Attribute)
            and node.attr in ("writer", "DictWriter")
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        )
        imported = (
            isinstance(node, ast.ImportFrom)
            and node.module == "csv"
            and any(alias.name in ("writer", "DictWriter") for alias in node.names)
        )
        if attribute or imported:
            found.append(f"{path}:{getattr(node, 'lineno', 0)}")
    return found


def test_no_module_but_the_one_writer_calls_csv_writer():
    offenders = [
        place
        for path in sorted(TANDEM.rglob("*.py"))
        if path != THE_WRITER
        for place in _raw_csv_writers(path)
    ]
    assert offenders == []
    assert _raw_csv_writers(THE_WRITER), "the check must see the writer's own use"
