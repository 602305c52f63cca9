"""The load test's verdict: targets on the steady state, any failure fails the run."""

from __future__ import annotations

from load.run import report


def results(*entries: tuple[str, float, bool, float], ready_at: float | None = 10.0) -> dict:
    return {
        "ready_at": ready_at,
        "requests": [
            {"name": name, "ms": ms, "ok": ok, "start": start} for name, ms, ok, start in entries
        ],
    }


def test_fast_reads_and_writes_without_failures_pass():
    fast = results(("read: notes", 40, True, 11), ("write: note", 90, True, 12))
    assert report(fast, 20)


def test_a_slow_read_fails_the_full_run_but_only_warns_in_a_smoke_run(capsys):
    slow = results(("read: notes", 400, True, 11), ("write: note", 90, True, 12))
    assert not report(slow, 20)
    assert report(slow, 20, enforce_latency=False)
    assert "ALL reads: p95 400 ms is over the 150 ms target" in capsys.readouterr().out


def test_a_failure_fails_even_during_the_ramp_up_and_in_a_smoke_run():
    failed_sign_in = results(("sign-in: submit", 900, False, 1), ("read: notes", 40, True, 11))
    assert not report(failed_sign_in, 20, enforce_latency=False)


def test_slow_sign_ins_before_everyone_is_signed_in_are_not_timed():
    ramp_up = results(("sign-in: submit", 1500, True, 1), ("read: home", 900, True, 2))
    steady = results(("read: notes", 40, True, 11), ("write: note", 90, True, 12))
    combined = {"ready_at": 10.0, "requests": ramp_up["requests"] + steady["requests"]}
    assert report(combined, 20)


def test_the_load_servers_environment_satisfies_the_production_settings(tmp_path):
    """The load test serves production settings: its environment must give every value they
    require (a missing one stops the served app before a single request)."""
    import subprocess
    import sys

    from load.run import ROOT, environment

    env = environment("tandem_load_check", 8765, str(tmp_path), 100)
    checked = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
