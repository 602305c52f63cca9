"""The demo institution: about 80 realistic participants, and a second run reuses it."""

from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tandem.circles.models import Attendance, CircleSession
from tandem.demo import institution as demo
from tandem.engagement.models import ContactCheck, Escalation
from tandem.partnerships.models import Partnership
from tandem.programs.models import Enrollment, Exclusion, Profile


def test_the_demo_has_residents_chiefs_fellows_and_faculty_with_full_profiles(db):
    program = demo.load_demo()
    profiles = Profile.objects.filter(program=program)
    assert 75 <= profiles.count() <= 90
    stages = Counter(profiles.values_list("stage", flat=True))
    assert {"PGY1", "PGY2", "PGY3", "Chief resident", "Fellow", "Assistant professor"} <= set(
        stages
    )
    assert len(set(profiles.values_list("specialty", flat=True))) >= 3
    assert all(profile.is_complete for profile in profiles)
    evaluator_lines = Exclusion.objects.filter(program=program, reason=Exclusion.Reason.EVALUATOR)
    assert evaluator_lines.count() >= 20
    evaluators = {line.person.profiles.get(program=program).stage for line in evaluator_lines}
    assert "PGY1" not in evaluators


def test_the_demo_logins_work_and_show_their_pages(db):
    demo.load_demo()
    coordinator = Client()
    assert coordinator.login(email=demo.COORDINATOR_EMAIL, password=demo.DEMO_PASSWORD)
    page = coordinator.get(reverse("programs:detail", args=[demo.DEMO_PROGRAM_SLUG]))
    assert b"Riverside Peer Mentoring" in page.content
    resident = Client()
    assert resident.login(email=demo.PARTICIPANT_EMAIL, password=demo.DEMO_PASSWORD)
    assert b"Your profile" in resident.get(reverse("home")).content


def test_the_demo_command_loads_once_and_then_reuses_the_data(db):
    first = io.StringIO()
    call_command("demo", no_serve=True, stdout=first)
    assert "Loading the demo institution" in first.getvalue()
    assert "resident@example.org / tandem-demo" in first.getvalue()
    count = Enrollment.objects.count()
    second = io.StringIO()
    call_command("demo", no_serve=True, stdout=second)
    assert "Using the existing demo data" in second.getvalue()
    assert Enrollment.objects.count() == count


def test_the_demo_residents_partner_has_a_main_thing_of_their_own(db):
    from tandem.partnerships.models import Partnership

    program = demo.load_demo()
    resident = Profile.objects.get(program=program, user__email=demo.PARTICIPANT_EMAIL)
    partnership = Partnership.objects.get(
        members__user=resident.user, status=Partnership.Status.ACTIVE
    )
    partners = partnership.members.exclude(user=resident.user).values_list("user", flat=True)
    for partner in Profile.objects.filter(program=program, user__in=partners):
        assert partner.main_thing
        assert partner.main_thing != resident.main_thing


def test_every_demo_person_has_a_main_thing_of_their_own(db):
    program = demo.load_demo()
    things = [
        thing
        for thing in Profile.objects.filter(program=program).values_list("main_thing", flat=True)
        if thing
    ]
    assert len(things) > 70
    duplicated = {thing for thing in things if things.count(thing) > 1}
    assert not duplicated


def test_the_demo_links_in_emails_point_where_it_serves(db, settings, monkeypatch):
    monkeypatch.delenv("TANDEM_BASE_URL", raising=False)
    settings.BASE_URL = (
        "http://127.0.0.1:8000"  # through the fixture, so the test's change is undone
    )
    call_command("demo", no_serve=True, addrport="127.0.0.1:8123", stdout=io.StringIO())
    assert settings.BASE_URL == "http://127.0.0.1:8123"


def test_the_demo_operator_needs_the_published_second_factor(db):
    output = io.StringIO()
    call_command("demo", no_serve=True, stdout=output)
    assert demo.DEMO_OPERATOR_TOTP_SECRET in output.getvalue()
    assert "tandem demo-code" in output.getvalue()
    client = Client()
    signed = client.post(
        reverse("account_login"), {"login": demo.OPERATOR_EMAIL, "password": demo.DEMO_PASSWORD}
    )
    assert signed["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    client.post(reverse("mfa_authenticate"), {"code": code.getvalue().strip()})
    assert client.get("/admin/").status_code == 200


def test_the_demo_shows_first_contact_answers_an_at_risk_list_and_a_running_circle(db):
    program = demo.load_demo()
    assert ContactCheck.objects.filter(answer=ContactCheck.Answer.YES).exists()
    assert Escalation.objects.filter(partnership__cohort__program=program).count() == 2
    circle = Partnership.objects.get(cohort__slug="wellbeing-circle")
    assert circle.members.count() == 4
    past = CircleSession.objects.filter(partnership=circle, attendance__isnull=False).distinct()
    assert past.count() == 2
    assert Attendance.objects.filter(session__partnership=circle, attended=False).count() == 1
