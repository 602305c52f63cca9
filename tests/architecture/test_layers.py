"""The layer contracts of pyproject.toml hold, and they break when an app imports upwards.

The contracts are run by ``python3 dev.py lint``; these tests show that they really catch a
violation (on a copy of the package with one bad import added), and check the rule
import-linter cannot see: an import inside a function says why on its line or the line above.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tandem"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    # From the project's folder, so that its copy of the package is the one analysed.
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(
        PACKAGE,
        project / "tandem",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "migrations"),
    )
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    return project


def _add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_layer_contracts_hold_on_the_code_as_it_is() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "complaint"),
    [
        # core may import no domain app
        (
            "core/hooks.py",
            "from tandem.workspace import models",
            "tandem.core is not allowed to import tandem.workspace",
        ),
        # a lower app may not import a higher one, not even inside a function
        (
            "programs/services.py",
            "def _seed():\n    from tandem.demo import institution",
            "tandem.programs is not allowed to import tandem.demo",
        ),
        # the modules of one app import in one direction only
        (
            "rounds/execution.py",
            "from tandem.rounds import services",
            "No cycles are allowed in tandem.rounds",
        ),
        # the matching engine stays free of Django
        ("engine/solve.py", "import django", "tandem.engine is not allowed to import django"),
    ],
)
def test_a_deliberate_violation_breaks_the_contract(
    tmp_path: Path, module: str, bad_import: str, complaint: str
) -> None:
    project = _copy_project(tmp_path)
    assert _lint_imports(project).returncode == 0
    _add_line(project / "tandem" / module, bad_import)
    result = _lint_imports(project)
    assert result.returncode != 0
    assert complaint in result.stdout


def _import_groups(tree: ast.AST) -> list[tuple[str, list[ast.stmt]]]:
    """Runs of adjacent import statements inside functions, with the function's name."""
    groups: list[tuple[str, list[ast.stmt]]] = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            for field in ("body", "orelse", "finalbody", "handlers"):
                statements = getattr(node, field, None)
                if not isinstance(statements, list):
                    continue
                run: list[ast.stmt] = []
                for statement in [*statements, None]:
                    if isinstance(statement, ast.Import | ast.ImportFrom):
                        run.append(statement)
                    elif run:
                        groups.append((function.name, run))
                        run = []
    return groups


def _says_why(lines: list[str], statement: ast.stmt) -> bool:
    line = lines[statement.lineno - 1]
    above = lines[statement.lineno - 2].strip() if statement.lineno > 1 else ""
    return "# " in line or above.startswith("# ")


def function_level_imports_without_a_reason(package: Path) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text()
        lines = source.splitlines()
        for function_name, run in _import_groups(ast.parse(source)):
            # Django's AppConfig.ready() is where registrations import their modules: the
            # documented place (docs/architecture.md), so it needs no comment of its own.
            if path.name == "apps.py" and function_name == "ready":
                continue
            if not _says_why(lines, run[0]):
                where = path.relative_to(package.parent)
                found.append(f"{where}:{run[0].lineno} in {function_name}()")
    return found


def test_every_import_inside_a_function_says_why() -> None:
    assert function_level_imports_without_a_reason(PACKAGE) == []


def test_the_function_import_check_finds_an_unexplained_import(tmp_path: Path) -> None:
    package = tmp_path / "tandem"
    package.mkdir()
    (package / "explained.py").write_text(
        "def f():\n    # Loaded on first use: it is slow to import.\n    import json\n"
        "    import csv\n    return json, csv\n"
    )
    (package / "silent.py").write_text("def g():\n    import json\n    return json\n")
    assert function_level_imports_without_a_reason(package) == ["tandem/silent.py:2 in g()"]
