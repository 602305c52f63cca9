"""Settings for the test suite: fast hashing, in-memory mail, fixed throwaway keys.

SQLite in a temporary file by default; PostgreSQL when DATABASE_URL is set, as in CI.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tandem.settings.base import *  # noqa: F403
from tandem.settings.base import DATABASES

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DATA_DIR = Path(tempfile.gettempdir()) / "tandem-test-data"
# Two fixed test keys: newest first, so rotation can be exercised.
FIELD_ENCRYPTION_KEYS = [
    "Xv2b0sQ5qPpcD9f2mK1wYw7Yp3p2H0mVnq4mR8a3n6U=",
]
# A fixed throwaway backup key, distinct from the field key.
BACKUP_KEY = "q3K0f1Yb0bX9n2v6W4s8T1c5R7m3J9e2L6h0P4a8D1U="
BACKUP_PASSPHRASE = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = DATA_DIR / "unused.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": None}
BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = True
# Per-process memory is fine for one test process; the suite clears it before every test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests that exercise lockout set their own lower limit.
AXES_FAILURE_LIMIT = 5
