"""Sign-in timing for known and unknown accounts, with the production password hasher.

Runs N wrong-password sign-ins against an existing account and N against an address that has
no account, interleaved, each from its own network address so the lockout does not interfere
(keep N under the per-account rate limit, 30 in 15 minutes), and prints the median and mean
time of each and their difference.

    .venv/bin/python bench/auth_timing.py [N]
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings.test")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher"]
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from tandem.accounts.models import User

    User.objects.create_user(email="known@example.org", password="the right passphrase")  # noqa: S106
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for index in range(rounds):
        for kind in ("known", "unknown") if index % 2 else ("unknown", "known"):
            email = f"{'known' if kind == 'known' else 'nobody'}@example.org"
            client = Client(REMOTE_ADDR=f"10.0.{index % 250}.{1 if kind == 'known' else 2}")
            started = time.perf_counter()
            response = client.post("/accounts/login/", {"login": email, "password": "wrong guess"})
            timings[kind].append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    for kind, values in timings.items():
        median, mean = statistics.median(values), statistics.mean(values)
        spread = statistics.stdev(values)
        print(
            f"{kind:8} n={len(values)} median={median * 1000:.1f} ms "
            f"mean={mean * 1000:.1f} ms stdev={spread * 1000:.1f} ms"
        )
    difference = statistics.median(timings["known"]) - statistics.median(timings["unknown"])
    print(f"median difference (known - unknown): {difference * 1000:+.1f} ms")


if __name__ == "__main__":
    main()
