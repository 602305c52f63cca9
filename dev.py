#!/usr/bin/env python3
"""Set up and run Tandem from a fresh clone with nothing but Python 3.11+ and git.

    python3 dev.py run     install Tandem in .venv and serve the demo on http://127.0.0.1:8000
    python3 dev.py test    install Tandem with its test tools and run the whole test suite
    python3 dev.py lint    ruff (lint and format check), mypy and the layer contracts
    python3 dev.py bench   the benchmark scripts
    python3 dev.py load    load test on PostgreSQL (10,000 participants, 50 users, 2 minutes);
                           --smoke for the 20-second version CI runs

Each command creates .venv when it is missing and reinstalls only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PYTHON = BIN / "python"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(  # noqa: S603 - fixed commands of this script
        [str(part) for part in command], cwd=ROOT, env=env, check=False
    )
    if result.returncode != 0:
        sys.exit(result.returncode)


def ensure_installed(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run under an old python3
        sys.exit("Tandem needs Python 3.11 or newer.")
    if not PYTHON.exists():
        say("Creating the virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"Installing Tandem{f' with [{extras}]' if extras else ''} (first run takes a few minutes)")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "--editable", target)
    stamp.write_text(digest)


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
        run(BIN / "mypy", "tandem")
        run(BIN / "lint-imports")
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
