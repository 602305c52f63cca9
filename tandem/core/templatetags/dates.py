"""Date filters every template can use without loading them: ``{{ day|day }}``, ``|moment``,
``|weekday``, ``|weekday_moment``, ``|month``, ``|day_month``, ``|stamp`` (see core.dates)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import template

from tandem.core.dates import PATTERNS, _format

register = template.Library()


def _filter(pattern: str) -> Callable[[dt.date | dt.datetime | None], str]:
    # The template engine has already moved the value to local time, or to the zone a
    # |timezone filter chose, so it is formatted as it comes.
    def shown(value: dt.date | dt.datetime | None) -> str:
        try:
            return _format(value, pattern, local=False)
        except (AttributeError, TypeError, ValueError):
            return ""

    return shown


for _name, _pattern in PATTERNS.items():
    register.filter(_name, _filter(_pattern), expects_localtime=True)
