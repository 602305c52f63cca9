"""Production settings for a load test served over plain HTTP on this machine.

Everything is production (DEBUG off, manifest static files, the same middleware, axes, rate
limits from the environment) except what needs HTTPS: the load generator talks plain HTTP to
127.0.0.1, so cookies may not be Secure or __Host- prefixed and there is no HTTPS redirect.
"""

from __future__ import annotations

from tandem.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
