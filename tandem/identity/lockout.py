"""What django-axes counts failures against: the address a person typed, lower-cased.

allauth's sign-in form passes the address as ``email``; other callers pass ``username``.
Unknown addresses are counted exactly like known ones, so a lockout reveals nothing.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that come with a request.

    Authentication without a request (the test client's ``login()``, a shell) has no address
    to lock out; it is left to the other backends instead of refused outright.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
