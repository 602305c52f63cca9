"""One date style across Tandem: the helper, its template filters, and no page on its own."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
import zoneinfo

from django.template import engines
from django.test import override_settings

from tandem.core import dates

ROOT = pathlib.Path(__file__).resolve().parents[2] / "tandem"


def test_a_day_a_moment_and_an_appointment_each_read_one_way():
    when = dt.datetime(2026, 12, 7, 14, 30, tzinfo=dt.UTC)
    with override_settings(TIME_ZONE="UTC"):
        assert dates.day(when.date()) == "7 Dec 2026"
        assert dates.moment(when) == "7 Dec 2026, 14:30"
        assert dates.weekday_moment(when) == "Mon 7 Dec 2026, 14:30"
        assert dates.month(when.date()) == "December 2026"
        assert dates.day(None) == ""


def test_the_filters_need_no_load_and_respect_a_chosen_time_zone():
    template = engines["django"].from_string(
        "{% load tz %}{{ when|day }} · {{ when|timezone:zone|weekday_moment }} · "
        "{{ nothing|moment }}"
    )
    when = dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC)
    shown = template.render(
        {"when": when, "zone": zoneinfo.ZoneInfo("Asia/Tokyo"), "nothing": None}
    )
    assert shown == "7 Dec 2026 · Tue 8 Dec 2026, 08:30 · "


def test_no_template_writes_its_own_date_pattern():
    own = [
        f"{path.relative_to(ROOT)}: {found}"
        for path in ROOT.rglob("templates/**/*")
        if path.suffix in (".html", ".txt")
        for found in re.findall(r'\|date:"([^"]*)"', path.read_text())
        if found not in ("U", "H:i")  # a timestamp for machines; a time beside a shown day
    ]
    assert own == []
