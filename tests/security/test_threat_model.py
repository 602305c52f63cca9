"""docs/threat-model.md names, for each line, the test that proves it: every test it names must
exist, or the page no longer tells the truth."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "threat-model.md"
# `tests/x/test_y.py::test_name` and the short form `…::test_name` for the last file named.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`|`…::(\w+)`")


def named_tests() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    last = ""
    for match in REFERENCE.finditer(PAGE.read_text()):
        path, name, short = match.groups()
        if path:
            last = path
            found.append((path, name))
        elif short and last:
            found.append((last, short))
    return found


def functions_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def test_the_threat_model_names_many_tests():
    assert len({name for _, name in named_tests() if name}) >= 60


def test_every_test_the_threat_model_names_exists():
    missing = []
    for path, name in named_tests():
        file = ROOT / path
        if not file.exists():
            missing.append(path)
        elif name and name not in functions_of(file):
            missing.append(f"{path}::{name}")
    assert not missing, "docs/threat-model.md names tests that do not exist:\n" + "\n".join(missing)
