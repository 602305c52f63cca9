"""The small-cell thresholds are written once, in ``tandem.core.suppression``.

Pages, CSVs, API answers and messages say the threshold through ``K`` / ``DEFAULT_THRESHOLD``
(or ``{% privacy "k" %}`` in templates), so changing it there changes every word that
describes it. These tests look for the numbers written out by hand.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.template import Context, Template

from tandem.core.suppression import DEFAULT_THRESHOLD, K, is_large_group, is_small_count

PACKAGE = Path(__file__).resolve().parents[2] / "tandem"


def _stray_pattern() -> re.Pattern[str]:
    k, small = K, DEFAULT_THRESHOLD
    phrases = [
        rf"1 to {small}\b",
        rf"\b{small} (?:people )?or fewer",
        rf"fewer than {k}\b",
        rf"\b{k} or more",
        rf"at least {k}\b",
        rf"below {k}\b",
        rf"\b(?:under|over) {k} people",
    ]
    return re.compile("|".join(phrases))


STRAY = _stray_pattern()


def _strings_outside_docstrings(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def stray_thresholds() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if "migrations" in path.parts or not path.is_file():
            continue
        where = path.relative_to(PACKAGE.parent)
        if path.suffix == ".py":
            for at, text in _strings_outside_docstrings(path.read_text()):
                if STRAY.search(text):
                    found.append(f"{where}:{at}: {text!r}")
        elif path.suffix in (".html", ".txt"):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if STRAY.search(line):
                    found.append(f"{where}:{number}")
    return found


def test_no_page_message_or_template_writes_the_threshold_out_by_hand() -> None:
    assert stray_thresholds() == []


def test_the_stray_check_recognises_the_ways_a_threshold_is_written() -> None:
    assert STRAY.search(f"Groups of {DEFAULT_THRESHOLD} or fewer are hidden.")
    assert STRAY.search(f"counts of 1 to {DEFAULT_THRESHOLD} people")
    assert STRAY.search(f"figures of {K} or more people")
    assert STRAY.search(f"fewer than {K} people with both scores")
    assert not STRAY.search(f"{K + 1} people took part")


def test_templates_read_the_thresholds_from_the_privacy_module() -> None:
    rendered = Template(
        '{% load privacy %}fewer than {% privacy "k" %}; 1 to {% privacy "small_max" %}'
    ).render(Context())
    assert rendered == f"fewer than {K}; 1 to {DEFAULT_THRESHOLD}"


def test_small_counts_and_large_groups_meet_at_the_threshold() -> None:
    assert not is_small_count(0)
    assert is_small_count(1)
    assert is_small_count(K - 1)
    assert not is_small_count(K)
    assert not is_large_group(K - 1)
    assert is_large_group(K)
