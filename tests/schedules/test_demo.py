"""The demo's residents have block schedules, and its resident's partnership has windows."""

from __future__ import annotations

from django.utils import timezone

from tandem.demo import institution as demo
from tandem.partnerships.models import Partnership
from tandem.schedules.models import ScheduleBlock
from tandem.schedules.selectors import partnership_windows


def test_the_demo_residents_have_block_schedules_and_their_windows_avoid_nights(db) -> None:
    program = demo.load_demo()
    assert ScheduleBlock.objects.filter(program=program).values("user").distinct().count() >= 20
    mine = Partnership.objects.filter(
        members__user__email=demo.PARTICIPANT_EMAIL, status="active"
    ).first()
    assert mine is not None
    partner = mine.members.exclude(user__email=demo.PARTICIPANT_EMAIL).get().user
    nights = ScheduleBlock.objects.filter(user=partner, kind="night").order_by("starts_at")[0]
    windows = partnership_windows(mine, weeks=4)
    assert windows
    last_night = nights.ends_at.date()
    assert all(timezone.localtime(w.start).date() > last_night for w in windows), (
        "no window while the partner is on nights"
    )
