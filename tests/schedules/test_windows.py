"""A partnership's windows: page, API and one-click meeting, and who may see them.

Windows carry start and end only; partners never see rotation names, and nobody but a
current member of an active partnership reaches them.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from tandem.engine.availability import DEFAULT_RULES
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.schedules.models import ScheduleBlock
from tandem.schedules.selectors import partnership_windows
from tandem.schedules.services import program_rules_update
from tandem.workspace.models import Meeting
from tests import factories
from tests.workspace.factories import meeting, sign_agreement

UTC_MIDNIGHT = dt.time(0)


def whole_days(user, first: dt.date, last: dt.date, kind: str, label: str = "") -> None:
    ScheduleBlock.objects.create(
        user=user,
        starts_at=dt.datetime.combine(first, UTC_MIDNIGHT, tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(last, UTC_MIDNIGHT, tzinfo=dt.UTC),
        whole_days=True,
        kind=kind,
        label=label,
        source=ScheduleBlock.Source.UPLOAD,
    )


@pytest.fixture
def nights(cast):
    """bob is on nights for the coming week (rotation name "Night float MICU")."""
    today = timezone.localdate()
    whole_days(cast.bob, today, today + dt.timedelta(days=6), "night", "Night float MICU")
    return cast


HOME = ZoneInfo(settings.TIME_ZONE)


def _local_days(windows) -> set[dt.date]:
    """The dates windows start on, in the zone people have until they choose their own."""
    return {w.start.astimezone(HOME).date() for w in windows}


def test_windows_avoid_a_partners_nights(nights) -> None:
    found = partnership_windows(nights.partnership, weeks=2)
    today = timezone.localdate()
    assert found
    assert min(_local_days(found)) >= today + dt.timedelta(days=7)


def test_windows_avoid_the_post_call_day(cast) -> None:
    zone = HOME
    call_day = timezone.localdate() + dt.timedelta(days=3)
    ScheduleBlock.objects.create(
        user=cast.alice,
        starts_at=dt.datetime.combine(call_day, dt.time(7), tzinfo=zone),
        ends_at=dt.datetime.combine(call_day + dt.timedelta(days=1), dt.time(8), tzinfo=zone),
        kind="call",
        source=ScheduleBlock.Source.UPLOAD,
    )
    days = _local_days(partnership_windows(cast.partnership, weeks=1))
    assert call_day not in days
    assert call_day + dt.timedelta(days=1) not in days
    assert call_day + dt.timedelta(days=2) in days


def test_a_day_rotation_still_leaves_evening_windows(cast) -> None:
    today = timezone.localdate()
    whole_days(cast.alice, today, today + dt.timedelta(days=20), "day")
    found = partnership_windows(cast.partnership, weeks=2)
    assert found
    # Read in the members' own zone, whatever the hour the test runs at: a window that
    # starts "now" late in the evening is still an evening window.
    assert all(w.start.astimezone(HOME).time() >= dt.time(18) for w in found)


def test_the_programs_rules_decide_how_a_kind_counts(nights) -> None:
    program_rules_update(
        program=nights.program,
        kind_rules={**DEFAULT_RULES, "night": "free"},
        day_starts_at=dt.time(7),
        day_ends_at=dt.time(18),
        drought_weeks=4,
    )
    pair = Partnership.objects.select_related("cohort__program").get(pk=nights.partnership.pk)
    today = timezone.localdate()
    assert min(_local_days(partnership_windows(pair, weeks=2))) < today + dt.timedelta(days=7)


def test_windows_take_two_queries_whatever_the_schedules_hold(
    nights, django_assert_num_queries
) -> None:
    sign_agreement(nights.partnership)
    window = partnership_windows(nights.partnership, weeks=2)[0]
    booked = meeting(nights.partnership, nights.alice, starts_at=window.start)
    pair = Partnership.objects.select_related("cohort__program").get(pk=nights.partnership.pk)
    # Members with their settings and the program's rules; then blocks and meetings at once.
    with django_assert_num_queries(2):
        found = partnership_windows(pair, weeks=2)
    assert found[0].start >= booked.ends_at


def test_the_api_lists_start_and_end_only(nights, client_for) -> None:
    response = client_for(nights.alice).get(
        f"/api/v1/partnerships/{nights.partnership.pk}/windows?weeks=2"
    )
    assert response.status_code == 200
    windows = response.json()
    assert windows
    assert all(set(window) == {"start", "end"} for window in windows)
    assert dt.datetime.fromisoformat(windows[0]["start"]).tzinfo is not None
    assert "Night" not in response.content.decode()


def test_the_api_refuses_a_horizon_out_of_range(cast, client_for) -> None:
    response = client_for(cast.alice).get(
        f"/api/v1/partnerships/{cast.partnership.pk}/windows?weeks=99"
    )
    assert response.status_code == 422


def test_the_partner_sees_windows_but_never_the_rotation_name(nights, client_for) -> None:
    page = client_for(nights.alice).get(f"/partnerships/{nights.partnership.pk}/windows/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Schedule 60 min" in text
    assert "Night float" not in text
    assert "night" not in text.lower().replace("nights", "")  # not even the kind


@pytest.mark.parametrize("who", ["carol", "dave", "coord", "other_coord", "rhea", "olga"])
def test_anyone_but_a_member_gets_404_from_page_and_api(nights, client_for, who) -> None:
    client = client_for(getattr(nights, who))
    pk = nights.partnership.pk
    assert client.get(f"/partnerships/{pk}/windows/").status_code == 404
    assert client.get(f"/api/v1/partnerships/{pk}/windows").status_code == 404
    assert (
        client.post(f"/partnerships/{pk}/windows/", {"start": "2099-01-01T10:00Z"}).status_code
        == 404
    )


def test_an_anonymous_visitor_is_sent_to_sign_in_or_refused(cast, client_for) -> None:
    client = client_for(None)
    assert client.get(f"/partnerships/{cast.partnership.pk}/windows/").status_code == 302
    assert client.get(f"/api/v1/partnerships/{cast.partnership.pk}/windows").status_code in (
        401,
        404,
    )


@pytest.mark.parametrize("status", ["proposed", "declined", "exited", "closed"])
def test_members_of_a_partnership_that_is_not_active_get_404(cast, client_for, status) -> None:
    other = factories.partnership(
        cast.cohort, [cast.carol, factories.participant(cast.cohort)], status=status
    )
    client = client_for(cast.carol)
    assert client.get(f"/partnerships/{other.pk}/windows/").status_code == 404
    assert client.get(f"/api/v1/partnerships/{other.pk}/windows").status_code == 404


def test_a_member_who_left_gets_404(cast, client_for) -> None:
    PartnershipMember.objects.filter(partnership=cast.partnership, user=cast.bob).update(
        is_current=False
    )
    client = client_for(cast.bob)
    assert client.get(f"/partnerships/{cast.partnership.pk}/windows/").status_code == 404
    assert client.get(f"/api/v1/partnerships/{cast.partnership.pk}/windows").status_code == 404


def test_one_click_books_a_meeting_and_both_get_the_invitation(
    nights, client_for, django_capture_on_commit_callbacks
) -> None:
    sign_agreement(nights.partnership)
    window = partnership_windows(nights.partnership, weeks=2)[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(nights.alice).post(
            f"/partnerships/{nights.partnership.pk}/windows/", {"start": window.start.isoformat()}
        )
    meeting = Meeting.objects.get(partnership=nights.partnership)
    assert response.status_code == 302
    assert meeting.starts_at == window.start
    assert meeting.duration_minutes == 60
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert all(m.attachments[0][2] == "text/calendar" for m in mail.outbox)
    # The booked hour is no longer offered.
    assert partnership_windows(nights.partnership, weeks=2)[0].start >= meeting.ends_at


def test_a_time_outside_every_window_is_refused(nights, client_for) -> None:
    sign_agreement(nights.partnership)
    during_nights = timezone.now() + dt.timedelta(days=2)
    client_for(nights.alice).post(
        f"/partnerships/{nights.partnership.pk}/windows/", {"start": during_nights.isoformat()}
    )
    assert not Meeting.objects.exists()


def test_booking_waits_for_the_agreement(nights, client_for) -> None:
    window = partnership_windows(nights.partnership, weeks=2)[0]
    response = client_for(nights.alice).post(
        f"/partnerships/{nights.partnership.pk}/windows/", {"start": window.start.isoformat()}
    )
    assert response.status_code == 302
    assert not Meeting.objects.exists()


def test_the_own_schedule_page_shows_only_ones_own_blocks(nights, client_for) -> None:
    assert "Night float MICU" in client_for(nights.bob).get("/account/schedule/").content.decode()
    for who in ("alice", "coord", "olga"):
        text = client_for(getattr(nights, who)).get("/account/schedule/").content.decode()
        assert "Night float" not in text


def test_the_operator_admin_has_no_schedule_pages(nights, client_for) -> None:
    client = client_for(nights.olga)
    assert client.get("/admin/schedules/scheduleblock/").status_code == 404
