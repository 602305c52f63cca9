"""The meeting-drought nudge: once per drought, only with windows, and a preference off."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from tandem.partnerships.models import Partnership
from tandem.schedules.drought import drought_nudges_send
from tandem.schedules.models import ScheduleBlock, ScheduleSettings
from tandem.workspace.models import Meeting


def _quiet_for(cast, weeks: int) -> None:
    Partnership.objects.filter(pk=cast.partnership.pk).update(
        activated_at=timezone.now() - dt.timedelta(weeks=weeks)
    )


def test_a_quiet_partnership_is_nudged_once_per_drought(
    cast, django_capture_on_commit_callbacks
) -> None:
    _quiet_for(cast, 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert drought_nudges_send() == 1
        assert drought_nudges_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert "next times when" in mail.outbox[0].body


def test_a_new_drought_after_a_held_meeting_gets_a_new_nudge(
    cast, django_capture_on_commit_callbacks
) -> None:
    _quiet_for(cast, 12)
    drought_nudges_send()
    Meeting.objects.create(
        partnership=cast.partnership,
        number=1,
        starts_at=timezone.now() - dt.timedelta(weeks=6),
        status=Meeting.Status.HELD,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert drought_nudges_send() == 1


def test_no_nudge_before_the_programs_weeks_or_with_a_meeting_ahead(cast) -> None:
    _quiet_for(cast, 2)
    assert drought_nudges_send() == 0
    _quiet_for(cast, 6)
    Meeting.objects.create(
        partnership=cast.partnership, number=1, starts_at=timezone.now() + dt.timedelta(days=3)
    )
    assert drought_nudges_send() == 0


def test_no_nudge_without_mutual_windows(cast) -> None:
    _quiet_for(cast, 6)
    today = timezone.localdate()
    ScheduleBlock.objects.create(
        user=cast.bob,
        starts_at=dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(today + dt.timedelta(days=30), dt.time(0), tzinfo=dt.UTC),
        whole_days=True,
        kind="vacation",
        source="upload",
    )
    assert drought_nudges_send() == 0


def test_a_person_who_turned_nudges_off_gets_none(cast, django_capture_on_commit_callbacks) -> None:
    _quiet_for(cast, 6)
    ScheduleSettings.objects.create(user=cast.bob, drought_nudges=False)
    with django_capture_on_commit_callbacks(execute=True):
        drought_nudges_send()
    assert [m.to[0] for m in mail.outbox] == ["alice@example.org"]
