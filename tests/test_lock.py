"""The lock files in requirements/ hold exactly pyproject.toml's pins, each with its hashes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import dev

ROOT = Path(__file__).resolve().parent.parent


def test_the_lock_files_match_pyproject():
    assert dev.lock_problems() == []


@pytest.mark.parametrize("name", ["base", "dev", "load", "build"])
def test_every_locked_package_carries_the_hashes_pip_checks(name):
    text = (ROOT / "requirements" / f"{name}.txt").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert len(blocks) > 3
    for block in blocks:
        assert re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+", block), block[:80]
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), block[:80]


def test_each_lock_holds_tandems_runtime_and_only_its_own_tools():
    base, _ = dev.locked_pins((ROOT / "requirements" / "base.txt").read_text())
    test_tools, _ = dev.locked_pins((ROOT / "requirements" / "dev.txt").read_text())
    load_tools, _ = dev.locked_pins((ROOT / "requirements" / "load.txt").read_text())
    assert "django" in base
    assert "pytest" not in base
    assert "locust" not in base
    assert "pytest" in test_tools
    assert "locust" not in test_tools
    assert "locust" in load_tools
    assert "ruff" not in load_tools
    # Resolved together: a package shared by two locks has one version in both.
    for package in set(test_tools) & set(load_tools):
        assert test_tools[package] == load_tools[package], package


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A copy of pyproject.toml and the lock files that a test may change."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    monkeypatch.setattr(dev, "LOCKS", tmp_path / "requirements")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_changed_pin_a_new_dependency_and_a_removed_one_are_each_reported(checkout):
    pyproject = checkout / "pyproject.toml"
    edit(pyproject, '"Django==5.2.19"', '"Django==5.2.20"')
    edit(
        pyproject, '    "locust==2.47.0",\n', '    "locust==2.47.0",\n    "import-linter==2.16",\n'
    )
    edit(pyproject, '    "nh3==0.3.8",\n', "")
    problems = dev.lock_problems()
    for lock in ("base", "dev", "load"):
        assert f"requirements/{lock}.txt has django==5.2.19, pyproject.toml pins 5.2.20" in problems
        assert f"requirements/{lock}.txt still has nh3, no longer in pyproject.toml" in problems
    assert "requirements/load.txt lacks import-linter==2.16" in problems
    assert len(problems) == 7


def test_an_unpinned_dependency_and_a_missing_lock_file_are_reported(checkout):
    edit(checkout / "pyproject.toml", '"redis==8.1.0"', '"redis>=8"')
    (checkout / "requirements" / "load.txt").unlink()
    problems = dev.lock_problems()
    assert "pyproject.toml: pin 'redis>=8' to one version with ==" in problems
    assert "requirements/load.txt is missing" in problems


def test_installing_stops_on_a_stale_lock_before_touching_the_environment(checkout, capsys):
    edit(checkout / "pyproject.toml", '"Django==5.2.19"', '"Django==5.2.20"')
    with pytest.raises(SystemExit, match=r"run `python3 dev.py lock`"):
        dev.ensure_installed("dev")
    assert "pyproject.toml pins 5.2.20" in capsys.readouterr().err
