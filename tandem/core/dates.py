"""One way to write dates across Tandem, in templates (as filters) and in Python strings.

Aware datetimes are shown in the current time zone; ``local=False`` keeps the zone they carry
(a meeting in its own zone).

A day reads "7 Dec 2026", a moment "7 Dec 2026, 14:30", an appointment adds the weekday
("Mon 7 Dec 2026, 14:30"), a month "December 2026"; the same words on every page and e-mail.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as django_format

DAY = "j M Y"
DAY_MONTH = "j M"
MOMENT = "j M Y, H:i"
WEEKDAY = "D j M Y"
WEEKDAY_MOMENT = "D j M Y, H:i"
MONTH = "F Y"
STAMP = "j M Y, H:i:s"


def _format(value: dt.date | dt.datetime | None, pattern: str, *, local: bool = True) -> str:
    if value is None or value == "":
        return ""
    if local and isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return django_format(value, pattern)


PATTERNS = {
    "day": DAY,
    "day_month": DAY_MONTH,
    "moment": MOMENT,
    "weekday": WEEKDAY,
    "weekday_moment": WEEKDAY_MOMENT,
    "month": MONTH,
    "stamp": STAMP,
}


def day(value: dt.date | dt.datetime | None, *, local: bool = True) -> str:
    """ "7 Dec 2026" """
    return _format(value, DAY, local=local)


def day_month(value: dt.date | dt.datetime | None, *, local: bool = True) -> str:
    """ "7 Dec", for lists within one year such as a timeline"""
    return _format(value, DAY_MONTH, local=local)


def moment(value: dt.datetime | None, *, local: bool = True) -> str:
    """ "7 Dec 2026, 14:30" """
    return _format(value, MOMENT, local=local)


def weekday(value: dt.date | dt.datetime | None, *, local: bool = True) -> str:
    """ "Mon 7 Dec 2026" """
    return _format(value, WEEKDAY, local=local)


def weekday_moment(value: dt.datetime | None, *, local: bool = True) -> str:
    """ "Mon 7 Dec 2026, 14:30", for appointments"""
    return _format(value, WEEKDAY_MOMENT, local=local)


def month(value: dt.date | dt.datetime | None, *, local: bool = True) -> str:
    """ "December 2026" """
    return _format(value, MONTH, local=local)


def stamp(value: dt.datetime | None, *, local: bool = True) -> str:
    """ "7 Dec 2026, 14:30:05", where seconds matter (the audit log)"""
    return _format(value, STAMP, local=local)
