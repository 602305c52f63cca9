"""Typing help for views: a request whose user is known to be signed in."""

from __future__ import annotations

from django.http import HttpRequest

from tandem.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
