"""Circles: a plan from a guide, facilitators who are peers, self-reported attendance that
members see and coordinators see only in suppressed counts, and reminders before sessions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.circles import selectors, services
from tandem.circles.guides import TANDEM_GUIDES
from tandem.circles.models import Attendance, CircleSession, SessionGuide
from tandem.circles.tasks import send_circle_session_reminders
from tandem.core.periodic import REGISTRY
from tandem.notifications.services import notification_preference_update
from tandem.partnerships.models import PartnershipMember
from tandem.partnerships.services import partnership_exit
from tandem.programs.models import Exclusion
from tests import factories

pytestmark = pytest.mark.django_db

START = dt.datetime(2031, 3, 10, 18, 0, tzinfo=dt.UTC)


def plan(circle, *, guide="tandem:academic-career", first_at=START, every_days=14):
    return services.circle_plan_create(
        partnership=circle.circle,
        by=circle.members[0],
        guide_ref=guide,
        first_at=first_at,
        every_days=every_days,
    )


def test_tandem_ships_two_guides_with_three_prompts_per_session():
    assert {g.title for g in TANDEM_GUIDES.values()} == {
        "Academic career development, 8 sessions",
        "Wellbeing and meaning in medicine, 6 sessions",
    }
    career, wellbeing = TANDEM_GUIDES["academic-career"], TANDEM_GUIDES["wellbeing-meaning"]
    assert (len(career.sessions), len(wellbeing.sessions)) == (8, 6)
    for guide in TANDEM_GUIDES.values():
        for session in guide.sessions:
            assert len(session.prompts) == 3
            assert all(p.strip() for p in session.prompts)


def test_a_plan_copies_the_guides_sessions_at_the_chosen_interval(circle):
    made = plan(circle)
    sessions = list(CircleSession.objects.filter(partnership=circle.circle))
    assert made.tandem_authored
    assert made.guide_title.startswith("Academic career")
    assert [s.topic for s in sessions] == [
        t.topic for t in TANDEM_GUIDES["academic-career"].sessions
    ]
    assert [s.starts_at for s in sessions[:3]] == [
        START,
        START + dt.timedelta(days=14),
        START + dt.timedelta(days=28),
    ]
    assert all(s.facilitator is None for s in sessions)
    with pytest.raises(ValidationError):
        plan(circle)


def test_a_pair_has_no_circle_pages(cast, client_for):
    factories_pair = cast.partnership
    from tests.workspace.factories import sign_agreement

    sign_agreement(factories_pair)
    response = client_for(cast.alice).get(reverse("circles:plan", args=[factories_pair.pk]))
    assert response.status_code == 404


def test_rotating_facilitation_gives_each_session_the_next_member_skipping_evaluators(circle):
    cast = circle.cast
    services.circle_settings_update(program=cast.program, rotating_facilitation=True)
    Exclusion.objects.create(
        program=cast.program, person=cast.bob, other=cast.alice, reason="evaluator"
    )
    plan(circle, guide="tandem:wellbeing-meaning")
    facilitators = [s.facilitator for s in CircleSession.objects.filter(partnership=circle.circle)]
    nadia = circle.members[2]
    # Alice and Bob have an evaluator line, so only Nadia is a peer of everyone.
    assert facilitators == [nadia] * 6


def test_alternating_rotation_among_peers(circle):
    services.circle_settings_update(program=circle.cast.program, rotating_facilitation=True)
    plan(circle, guide="tandem:wellbeing-meaning")
    names = [
        s.facilitator.full_name for s in CircleSession.objects.filter(partnership=circle.circle)
    ]
    assert names == ["Alice Adams", "Bob Brown", "Nadia Nour"] * 2


def test_an_evaluator_of_a_member_may_not_facilitate(circle):
    cast = circle.cast
    plan(circle)
    Exclusion.objects.create(
        program=cast.program, person=cast.alice, other=cast.bob, reason="evaluator"
    )
    with pytest.raises(ValidationError, match="peer"):
        services.circle_facilitator_set(partnership=circle.circle, by=cast.alice, volunteer=True)
    chosen = services.circle_facilitator_set(
        partnership=circle.circle, by=circle.members[2], volunteer=True
    )
    assert chosen.facilitator == circle.members[2]


def test_each_member_reports_only_their_own_attendance_from_the_session_day(circle, client_for):
    plan(circle)
    first = CircleSession.objects.filter(partnership=circle.circle).first()
    alice, bob, nadia = circle.members
    url = reverse("circles:attendance", args=[circle.circle.pk, first.pk])
    with time_machine.travel(START - dt.timedelta(days=2), tick=False):
        client_for(alice).post(url, {"attended": "yes"})
        assert not Attendance.objects.exists()
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        client_for(alice).post(url, {"attended": "yes"})
        client_for(bob).post(url, {"attended": "no"})
        rows = selectors.session_rows(circle.circle, nadia)
    assert {(a.user, a.attended) for a in Attendance.objects.all()} == {
        (alice, True),
        (bob, False),
    }
    assert rows[0].attendance == [(alice, True), (bob, False), (nadia, None)]


def test_members_see_the_circles_attendance_by_name(circle, client_for):
    plan(circle, first_at=timezone.now() - dt.timedelta(hours=1))
    first = CircleSession.objects.filter(partnership=circle.circle).first()
    services.attendance_report(session=first, user=circle.members[0], attended=True)
    for member in circle.members:
        page = client_for(member).get(reverse("circles:session", args=[circle.circle.pk, first.pk]))
        assert page.status_code == 200
        assert "Alice: attended" in page.content.decode()
        assert "Nadia: not reported" in page.content.decode()


def leave_circle(circle, user, how):
    """Put one member in a state short of a seat while the circle goes on."""
    Response = PartnershipMember.Response
    changes = {
        "proposed": {"response": Response.PENDING},
        "declined": {"response": Response.DECLINED, "is_current": False},
        "lapsed": {"response": Response.PENDING, "is_current": False},
        "exited": {"is_current": False, "left_at": timezone.now()},
    }[how]
    PartnershipMember.objects.filter(partnership=circle.circle, user=user).update(**changes)


@pytest.mark.parametrize("leave", ["proposed", "declined", "lapsed", "exited"])
def test_declined_and_exited_members_get_404_on_every_circle_page(circle, client_for, leave):
    plan(circle, first_at=timezone.now() - dt.timedelta(hours=1))
    session = CircleSession.objects.filter(partnership=circle.circle).first()
    nadia = circle.members[2]
    leave_circle(circle, nadia, leave)
    assert (
        client_for(circle.members[0])
        .get(reverse("circles:plan", args=[circle.circle.pk]))
        .status_code
        == 200
    )
    client = client_for(nadia)
    pk = circle.circle.pk
    assert client.get(reverse("circles:plan", args=[pk])).status_code == 404
    assert client.get(reverse("circles:session", args=[pk, session.pk])).status_code == 404
    post = client.post(reverse("circles:attendance", args=[pk, session.pk]), {"attended": "yes"})
    assert post.status_code == 404
    assert (
        client.post(reverse("circles:facilitator", args=[pk]), {"volunteer": "1"}).status_code
        == 404
    )
    assert not Attendance.objects.filter(user=nadia).exists()


def test_once_a_member_ends_the_circle_nobody_opens_its_pages(circle, client_for):
    plan(circle)
    partnership_exit(partnership=circle.circle, member=circle.members[0])
    for member in circle.members:
        url = reverse("circles:plan", args=[circle.circle.pk])
        assert client_for(member).get(url).status_code == 404


def test_coordinators_see_attendance_only_as_suppressed_counts(circle, client_for):
    cast = circle.cast
    plan(circle, first_at=timezone.now() - dt.timedelta(hours=1))
    first = CircleSession.objects.filter(partnership=circle.circle).first()
    services.attendance_report(session=first, user=cast.alice, attended=True)
    page = client_for(cast.coord).get(
        reverse("circles:cohort_circles", args=[cast.program.slug, circle.cohort.slug])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Alice" not in text
    assert "Nadia" not in text
    table = selectors.cohort_attendance(circle.cohort)
    # One report is a cell of one person: hidden, as is its total.
    assert table.cells[0][0] is None
    assert table.grand_total is None


def test_attendance_counts_show_once_eleven_people_reported(cast):
    from tests.workspace.factories import sign_agreement

    cohort = factories.CohortFactory(program=cast.program, slug="big")
    people = [factories.participant(cohort, email=f"p{i}@example.org") for i in range(12)]
    sessions = []
    for group in (people[0:4], people[4:8], people[8:12]):
        circle = factories.partnership(cohort, group)
        sign_agreement(circle)
        services.circle_plan_create(
            partnership=circle,
            by=group[0],
            guide_ref="tandem:academic-career",
            first_at=timezone.now() - dt.timedelta(hours=1),
            every_days=7,
        )
        sessions.append(CircleSession.objects.filter(partnership=circle).first())
    for session, group in zip(sessions, (people[0:4], people[4:8], people[8:12]), strict=True):
        for person in group:
            services.attendance_report(session=session, user=person, attended=True)
    table = selectors.cohort_attendance(cohort)
    assert table.cells[0] == (12, 0)


def test_reminders_go_once_to_current_members_only_through_the_periodic_job(
    circle, django_capture_on_commit_callbacks
):
    plan(circle)
    _alice, bob, nadia = circle.members
    leave_circle(circle, nadia, "exited")
    notification_preference_update(user=bob, meeting_reminders=False)
    mail.outbox.clear()

    def run(at):
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return services.circle_session_reminders_send()

    assert run(START - dt.timedelta(days=3)) == 0
    assert run(START - dt.timedelta(hours=47)) == 1
    assert run(START - dt.timedelta(hours=20)) == 0
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    body = mail.outbox[0].body
    assert f"/partnerships/{circle.circle.pk}/circle/sessions/" in body
    assert "Your main thing" not in body  # topics stay in the circle's pages
    assert any(job.task is send_circle_session_reminders for job in REGISTRY.values())


def test_a_program_copies_a_tandem_guide_and_edits_its_copy(cast, client_for):
    client = client_for(cast.coord)
    response = client.post(
        reverse("circles:guide_copy", args=[cast.program.slug]),
        {"source": "tandem:wellbeing-meaning"},
    )
    guide = SessionGuide.objects.get(program=cast.program)
    assert response["Location"] == reverse("circles:guide_edit", args=[cast.program.slug, guide.pk])
    assert guide.sessions.count() == 6
    assert "Tandem" in guide.based_on
    form = {
        "title": "Wellbeing for chiefs",
        "summary": "",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "24",
        "sessions-0-topic": "Leading peers",
        "sessions-0-prompt_one": "What changed when you became chief?",
        "sessions-0-prompt_two": "",
        "sessions-0-prompt_three": "",
    }
    url = reverse("circles:guide_edit", args=[cast.program.slug, guide.pk])
    refused = client.post(url, form)
    assert refused.status_code == 422
    assert "What changed when you became chief?" in refused.content.decode()
    assert "needs a topic and all three prompts" in refused.content.decode()
    form |= {
        "sessions-0-prompt_two": "Who backs you?",
        "sessions-0-prompt_three": "What will you drop?",
    }
    assert client.post(url, form).status_code == 302
    guide.refresh_from_db()
    assert guide.title == "Wellbeing for chiefs"
    assert [s.topic for s in guide.sessions.all()] == ["Leading peers"]
    # Tandem's own guide is unchanged and still offered beside the copy.
    refs = [c.ref for c in services.guide_choices(cast.program)]
    assert refs == ["tandem:academic-career", "tandem:wellbeing-meaning", f"program:{guide.pk}"]


def test_another_programs_coordinator_cannot_open_a_guide(cast, client_for):
    guide = services.guide_copy(
        program=cast.program, by=cast.coord, source_ref="tandem:academic-career"
    )
    url = reverse("circles:guide_edit", args=[cast.program.slug, guide.pk])
    assert client_for(cast.other_coord).get(url).status_code == 404


def test_a_member_moves_a_session_and_a_refused_move_keeps_the_typed_time(circle, client_for):
    plan(circle)
    first = CircleSession.objects.filter(partnership=circle.circle).first()
    url = reverse("circles:session", args=[circle.circle.pk, first.pk])
    with time_machine.travel(START - dt.timedelta(days=5), tick=False):
        client = client_for(circle.members[1])
        refused = client.post(url, {"starts_date": "2020-01-01", "starts_time": "19:45"})
        assert refused.status_code == 422
        assert 'value="19:45"' in refused.content.decode()
        moved = client.post(url, {"starts_date": "2031-03-12", "starts_time": "19:45"})
    assert moved.status_code == 302
    first.refresh_from_db()
    assert timezone.localtime(first.starts_at).strftime("%Y-%m-%d %H:%M") == "2031-03-12 19:45"


def test_a_persons_data_download_holds_their_own_attendance_only(circle, client_for):
    plan(circle, first_at=timezone.now() - dt.timedelta(hours=1))
    first = CircleSession.objects.filter(partnership=circle.circle).order_by("position").first()
    me, other = circle.members[0], circle.members[1]
    services.attendance_report(session=first, user=me, attended=True)
    services.attendance_report(session=first, user=other, attended=False)
    response = client_for(me).post(reverse("privacy:download"), {"format": "json"})
    mine = json.loads(response.content)["sections"]["circles"]
    assert [(row["session"], row["attended"]) for row in mine["attendance_reported"]] == [
        (first.position, True)
    ]
    assert mine["speed_mentoring_rankings"] == []
