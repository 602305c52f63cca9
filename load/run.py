"""Load test Tandem end to end: fresh PostgreSQL database, fill, gunicorn, locust, verdict.

    python3 dev.py load            10,000 participants, 50 users for 2 minutes
    python3 dev.py load --smoke    500 participants, 10 users for 20 seconds (CI)

Needs PostgreSQL at $TANDEM_LOAD_POSTGRES (default postgres://postgres@127.0.0.1:5432, trust
auth). Prints requests, p50, p95 and failures per page and for reads and writes, and exits
non-zero unless reads have p95 ≤ 150 ms, writes p95 ≤ 300 ms and nothing failed. The database
is dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("TANDEM_LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
TARGET_P95_MS = {"read": 150.0, "write": 300.0}
FULL = {"participants": 10_000, "users": 50, "seconds": 120}
SMOKE = {"participants": 500, "users": 10, "seconds": 20}
WARM_UP_SECONDS = 10


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(database: str, port: int, data_dir: str, participants: int) -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "load.settings",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "TANDEM_FIELD_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TANDEM_BASE_URL": f"http://127.0.0.1:{port}",
        "TANDEM_DATA_DIR": data_dir,
        # Production settings require a mail server; no worker runs during the load test, so
        # the e-mails it causes stay queued and nothing is sent.
        "EMAIL_URL": "smtp://127.0.0.1:25",
        # Every simulated person signs in from 127.0.0.1 within seconds.
        "RATE_LIMIT_LOGIN": "10000/m/ip",
        "TANDEM_LOAD_PARTICIPANTS": str(participants),
    }


def django(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "django", *args], env=env, cwd=ROOT, check=True)


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered; see its log above.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f} s.")


def run_locust(env: dict[str, str], url: str, users: int, seconds: int, results: Path) -> None:
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        url,
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(
        command,
        env={**env, "TANDEM_LOAD_RESULTS": str(results)},
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
    )


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def kind_of(name: str) -> str:
    return name.split(":", 1)[0]


def report(results: dict[str, object], seconds: int, *, enforce_latency: bool = True) -> bool:
    """Print the table of the steady state (every user signed in); True when targets are met."""
    everything: list[dict[str, object]] = results["requests"]  # type: ignore[assignment]
    ready_at = results["ready_at"]

    def steady(entry: dict[str, object]) -> bool:
        return ready_at is None or float(entry["start"]) >= float(ready_at)  # type: ignore[arg-type]

    recorded = [e for e in everything if steady(e)]
    ramp_up = [e for e in everything if not steady(e)]
    by_name: dict[str, list[dict[str, object]]] = defaultdict(list)
    for entry in recorded:
        by_name[str(entry["name"])].append(entry)
    groups = {name: entries for name, entries in sorted(by_name.items())}
    for kind in ("read", "write", "sign-in"):
        groups[f"ALL {kind}s"] = [e for e in recorded if kind_of(str(e["name"])) == kind]
    header = f"{'name':<36} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'failures':>8}"
    print(header)
    print("-" * len(header))
    passed = True
    over: list[str] = []
    for name, entries in groups.items():
        times = [float(e["ms"]) for e in entries]  # type: ignore[arg-type]
        failures = sum(1 for e in entries if not e["ok"])
        p95 = percentile(times, 0.95)
        if name.startswith("ALL"):
            print("-" * len(header))
            target = TARGET_P95_MS.get(name.split()[1].rstrip("s"))
            if target is not None and p95 > target:
                over.append(f"{name}: p95 {p95:.0f} ms is over the {target:.0f} ms target")
                passed = passed and not enforce_latency
        if failures:
            passed = False
        median = statistics.median(times) if times else 0.0
        print(f"{name:<36} {len(entries):>8} {median:>8.0f} {p95:>8.0f} {failures:>8}")
    for line in over:
        print(line)
    ramp_failures = sum(1 for e in ramp_up if not e["ok"])
    passed = passed and not ramp_failures
    print(
        f"\nSteady state: {len(recorded)} requests once every user had signed in; before that "
        f"(ramp-up, not timed) {len(ramp_up)} requests, {ramp_failures} failures; "
        f"{len(everything) / seconds:.1f} requests/s over the {seconds} s."
    )
    print(
        f"Targets: p95 ≤ {TARGET_P95_MS['read']:.0f} ms for reads, "
        f"≤ {TARGET_P95_MS['write']:.0f} ms for writes, no failures "
        "in the steady state."
    )
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load test Tandem.")
    parser.add_argument("--smoke", action="store_true", help="20-second check for CI.")
    parser.add_argument("--participants", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=int)
    parser.add_argument(
        "--strict", action="store_true", help="Hold a smoke run to the latency targets too."
    )
    options = parser.parse_args(argv)
    plan = dict(SMOKE if options.smoke else FULL)
    for key in plan:
        if getattr(options, key) is not None:
            plan[key] = getattr(options, key)

    database = f"tandem_load_{int(time.time())}_{os.getpid()}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="tandem-load-") as data_dir:
        env = environment(database, port, data_dir, plan["participants"])
        results = Path(data_dir) / "results.json"
        server: subprocess.Popen[bytes] | None = None
        log = open(Path(data_dir) / "gunicorn.log", "wb")  # noqa: SIM115 - closed in finally
        say(f"Creating the database {database}")
        postgres_admin(f'CREATE DATABASE "{database}"')
        try:
            say("Migrating, static files, cache table")
            django(env, "migrate", "--noinput", "-v", "0")
            django(env, "createcachetable")
            django(env, "collectstatic", "--noinput", "-v", "0")
            say(f"Filling with {plan['participants']:,} participants and a year of activity")
            subprocess.run(
                [sys.executable, "-m", "load.fill", "--participants", str(plan["participants"])],
                env=env,
                cwd=ROOT,
                check=True,
            )
            say(f"Serving with gunicorn (2 workers) on {url}")
            server = subprocess.Popen(
                [str(BIN / "tandem"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            wait_until_up(f"{url}/accounts/login/", server)
            # Not counted: both workers load their code and compile templates on first use.
            say(f"Warming up: {plan['users']} users for {WARM_UP_SECONDS} s (not counted)")
            run_locust(env, url, plan["users"], WARM_UP_SECONDS, Path(data_dir) / "warm-up.json")
            say(f"Locust: {plan['users']} users for {plan['seconds']} s")
            run_locust(env, url, plan["users"], plan["seconds"], results)
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
                if server.returncode not in (0, -15):
                    tail = (Path(data_dir) / "gunicorn.log").read_text(errors="replace")[-3000:]
                    print(tail)
            log.close()
            say(f"Dropping the database {database}")
            postgres_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if not results.exists():
            print("Locust recorded nothing.")
            return 1
        measured = json.loads(results.read_text())
        errors = [
            line
            for line in (Path(data_dir) / "gunicorn.log").read_text(errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line
        ]
    title = "SMOKE load test" if options.smoke else "Load test"
    print(
        f"\n{title}: {plan['participants']:,} participants, {plan['users']} users, "
        f"{plan['seconds']} s, gunicorn 2 workers, PostgreSQL\n"
    )
    # A 20-second smoke run gives a few dozen timed requests: its p95 is the second-slowest
    # one, noise on a shared machine. It fails on errors; its latency verdict is advisory.
    enforce_latency = options.strict or not options.smoke
    passed = report(measured, plan["seconds"], enforce_latency=enforce_latency)
    if not enforce_latency:
        print("(smoke run: latency targets reported, not enforced; errors are)")
    if errors:
        print(f"\nThe server logged {len(errors)} errors, first: {errors[0]}")
        passed = False
    print("\nPASSED" if passed else "\nFAILED: targets not met (see above)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
