#!/usr/bin/env python3
"""Set up and run Tandem from a fresh clone with nothing but Python 3.11+ and git.

    python3 dev.py run     install Tandem in .venv and serve the demo on http://127.0.0.1:8000
    python3 dev.py test    install Tandem with its test tools and run the whole test suite
    python3 dev.py lint    ruff (lint and format check), mypy, the layer contracts, and that
                           the lock files match pyproject.toml
    python3 dev.py bench   the benchmark scripts
    python3 dev.py load    load test on PostgreSQL (10,000 participants, 50 users, 2 minutes);
                           --smoke for the 20-second version CI runs
    python3 dev.py lock    rewrite the lock files in requirements/ after pyproject.toml changed;
                           --upgrade to move every unpinned dependency to its newest release

Each command creates .venv when it is missing and installs exactly the versions, checked by
their hashes, in the lock files: requirements/base.txt for running Tandem, dev.txt with the test
tools, load.txt with the load-test tools, and build.txt for pip and the build backend. It
reinstalls only when pyproject.toml or those files changed. pyproject.toml stays the source of
the pins; `python3 dev.py lint` fails when the lock files no longer match it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PYTHON = BIN / "python"
LOCKS = ROOT / "requirements"
# Lock file of each set of extras: everything Tandem needs to run, plus the extras' tools.
LOCK_OF_EXTRAS = {"": "base", "dev": "dev", "load": "load"}
BUILD_LOCK = "build"
# The oldest Python Tandem supports; the locks hold what every supported Python and platform
# needs (environment markers select the rest at install time).
LOCK_PYTHON = "3.11"
LOCK_COMMAND = "python3 dev.py lock"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(  # noqa: S603 - fixed commands of this script
        [str(part) for part in command], cwd=ROOT, env=env, check=False
    )
    if result.returncode != 0:
        sys.exit(result.returncode)


def lock_file(name: str) -> Path:
    return LOCKS / f"{name}.txt"


def ensure_installed(extras: str, *, check_lock: bool = True) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run under an old python3
        sys.exit("Tandem needs Python 3.11 or newer.")
    if check_lock:
        stop_if_lock_stale()
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = lock_file(LOCK_OF_EXTRAS[extras])
    inputs = [ROOT / "pyproject.toml", lock_file(BUILD_LOCK), lock]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in inputs) + extras.encode())
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    say(f"Installing Tandem{f' with [{extras}]' if extras else ''} (first run takes a few minutes)")
    for requirements in (lock_file(BUILD_LOCK), lock):
        run(PYTHON, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", requirements)
    # Every dependency is in place, from the lock: Tandem itself adds none and builds with the
    # locked setuptools.
    run(
        PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--editable", ".",
    )  # fmt: skip
    stamp.write_text(digest.hexdigest())


def pyproject() -> dict[str, Any]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*==\s*([^\s;\\]+)")


def locked_pins(text: str) -> tuple[dict[str, str], set[str]]:
    """A lock file's pins (name: version), and the names pyproject.toml asks for directly."""
    pins: dict[str, str] = {}
    direct: set[str] = set()
    current = ""
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            current = normalised(match.group(1))
            pins[current] = match.group(2)
        elif current and "tandem (pyproject.toml)" in line:
            direct.add(current)
    return pins, direct


def lock_problems() -> list[str]:
    """Where the lock files disagree with pyproject.toml's pins (empty when they agree)."""
    project = pyproject()["project"]
    extras = project.get("optional-dependencies", {})
    problems: list[str] = []
    for extra, name in LOCK_OF_EXTRAS.items():
        path = lock_file(name)
        if not path.exists():
            problems.append(f"requirements/{name}.txt is missing")
            continue
        pins, direct = locked_pins(path.read_text())
        wanted: dict[str, str] = {}
        for requirement in [*project["dependencies"], *extras.get(extra, [])]:
            match = PIN.match(requirement)
            if not match:
                problems.append(f"pyproject.toml: pin {requirement!r} to one version with ==")
                continue
            wanted[normalised(match.group(1))] = match.group(2)
        for package, version in sorted(wanted.items()):
            if package not in pins:
                problems.append(f"requirements/{name}.txt lacks {package}=={version}")
            elif pins[package] != version:
                problems.append(
                    f"requirements/{name}.txt has {package}=={pins[package]}, "
                    f"pyproject.toml pins {version}"
                )
        for package in sorted(direct - set(wanted)):
            problems.append(
                f"requirements/{name}.txt still has {package}, no longer in pyproject.toml"
            )
    build_path = lock_file(BUILD_LOCK)
    if not build_path.exists():
        problems.append(f"requirements/{BUILD_LOCK}.txt is missing")
    else:
        build_pins, _ = locked_pins(build_path.read_text())
        for requirement in [*pyproject()["build-system"]["requires"], "pip"]:
            package = normalised(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0])
            if package not in build_pins:
                problems.append(f"requirements/{BUILD_LOCK}.txt lacks {package}")
    return problems


def stop_if_lock_stale() -> None:
    problems = lock_problems()
    if problems:
        for problem in problems:
            print(f"    {problem}", file=sys.stderr)
        sys.exit(
            "The lock files in requirements/ do not match pyproject.toml; "
            f"run `{LOCK_COMMAND}` and commit requirements/."
        )


def write_locks(upgrade: bool) -> None:
    """Resolve every extra together once, so the lock files agree on each shared package, then
    write each lock file with the hashes of every release file of every version it pins."""
    ensure_installed("dev", check_lock=False)  # brings uv, itself pinned in the dev lock
    LOCKS.mkdir(exist_ok=True)
    universal = ["--universal", "--python-version", LOCK_PYTHON, "--quiet"]
    with tempfile.TemporaryDirectory(prefix="tandem-lock-") as scratch:
        build_in = Path(scratch) / "build.in"
        build_in.write_text("\n".join([*pyproject()["build-system"]["requires"], "pip"]) + "\n")
        together = Path(scratch) / "together.txt"
        # Start from the versions locked now, so only what pyproject.toml changed moves.
        if not upgrade:
            previous = [lock_file(name) for name in [*LOCK_OF_EXTRAS.values(), BUILD_LOCK]]
            together.write_text("".join(path.read_text() for path in previous if path.exists()))
        run(
            BIN / "uv", "pip", "compile", *universal, *(["--upgrade"] if upgrade else []),
            "pyproject.toml", build_in, "--all-extras", "--no-annotate", "--no-header",
            "--output-file", together,
        )  # fmt: skip
        locked: list[tuple[str, list[str | Path]]] = [(BUILD_LOCK, [build_in])]
        for extra, name in LOCK_OF_EXTRAS.items():
            locked.append((name, ["pyproject.toml", *(["--extra", extra] if extra else [])]))
        for name, sources in locked:
            run(
                BIN / "uv", "pip", "compile", *universal, *sources, "--generate-hashes",
                "--constraint", together,
                "--custom-compile-command", LOCK_COMMAND, "--output-file", lock_file(name),
            )  # fmt: skip
            # Leave the scratch files out of the annotations, so the files read the same on
            # every run: every package is constrained by the joint resolution, and the build
            # requirements are pyproject.toml's.
            lines = lock_file(name).read_text().splitlines(keepends=True)
            text = "".join(line for line in lines if line.strip() != f"#   -c {together}")
            text = text.replace(f"-r {build_in}", "tandem build-system (pyproject.toml)")
            lock_file(name).write_text(text)
    problems = lock_problems()
    if problems:
        sys.exit("The new lock files still disagree with pyproject.toml:\n" + "\n".join(problems))
    say("Lock files written in requirements/; commit them with pyproject.toml.")


SYSTEM_PACKAGES = {
    # command that must exist: Debian packages that bring it
    "chromium": ("chromium", "chromium-driver", "fonts-dejavu-core"),
    "xmlsec1": ("xmlsec1", "libxmlsec1-dev", "pkg-config"),
}


def ensure_system_packages() -> None:
    """Browser journeys need Debian's chromium and the SAML sign-in tests xmlsec1; install them
    when we may, else say which tests will be skipped."""
    missing = [command for command in SYSTEM_PACKAGES if not shutil.which(command)]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        packages = [package for command in missing for package in SYSTEM_PACKAGES[command]]
        say(f"Installing Debian packages for the tests: {' '.join(packages)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", *packages, env=env)
    else:
        skipped = {"chromium": "the browser journeys", "xmlsec1": "the SAML sign-in tests"}
        for command in missing:
            say(f"{command} is not installed: {skipped[command]} will be skipped")


def main() -> None:
    verb = sys.argv[1] if len(sys.argv) > 1 else "help"
    extra_args = sys.argv[2:]
    os.chdir(ROOT)
    if verb == "run":
        ensure_installed("")
        os.execv(BIN / "tandem", [str(BIN / "tandem"), "demo", *extra_args])  # noqa: S606
    elif verb == "test":
        ensure_installed("dev")
        ensure_system_packages()
        run(PYTHON, "-m", "pytest", "-n", "2", "--dist", "loadfile", *extra_args)
    elif verb == "lint":
        ensure_installed("dev")
        run(BIN / "ruff", "check", ".")
        run(BIN / "ruff", "format", "--check", ".")
        run(BIN / "mypy")
        run(BIN / "lint-imports")
        say("The lock files in requirements/ match pyproject.toml")
    elif verb == "lock":
        write_locks(upgrade="--upgrade" in extra_args)
    elif verb == "bench":
        ensure_installed("dev")
        run(PYTHON, "bench/run_all.py", *extra_args)
    elif verb == "load":
        ensure_installed("load")
        run(PYTHON, "load/run.py", *extra_args)
    else:
        print(__doc__)
        sys.exit(0 if verb in ("help", "-h", "--help") else 2)


if __name__ == "__main__":
    main()
