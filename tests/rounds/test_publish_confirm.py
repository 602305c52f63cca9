"""A safe publish: a confirmation page says what publishing sends to whom and what to look at
first; nothing is proposed or e-mailed until the coordinator confirms. After publishing, each
group shows how its people answered (never who declined), and drafts made before it read as
superseded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.outcomes import services as outcome_services
from tandem.outcomes.models import Departure
from tandem.partnerships import services as partnership_services
from tandem.partnerships.models import Partnership
from tandem.programs.models import Enrollment, Profile
from tandem.rounds import services
from tandem.rounds.models import MatchRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(round_, cast):
    return services.match_run_start(cohort=round_.cohort, created_by=cast.coord)


def confirm_url(run) -> str:
    return reverse("rounds:run_publish", args=[run.pk])


def test_the_confirmation_page_says_what_will_be_sent_and_publishes_nothing(run, cast, client_for):
    response = client_for(cast.coord).get(confirm_url(run))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Proposes <strong>{run.groups.count()} groups</strong>" in page
    assert "Sends <strong>6 e-mails</strong>" in page
    assert "Not marked as reviewed" in page
    assert not Partnership.objects.filter(cohort=run.cohort).exists()
    assert mail.outbox == []


def test_posting_without_the_confirmation_publishes_nothing(run, cast, client_for):
    response = client_for(cast.coord).post(confirm_url(run))
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DRAFT
    assert not Partnership.objects.filter(cohort=run.cohort).exists()


def test_confirming_publishes_and_emails_everyone(
    run, cast, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.coord).post(confirm_url(run), {"confirm": "yes"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED
    assert len(mail.outbox) == 6


def test_people_to_look_at_again_are_flagged_before_publishing(run, round_, cast, client_for):
    left, withdrawn, changed = round_.people[:3]
    outcome_services.departure_record(
        profile=left.profiles.get(program=cast.program),
        left_on=timezone.localdate() - dt.timedelta(days=1),
        reason=Departure.Reason.OTHER_INSTITUTION,
    )
    Enrollment.objects.filter(cohort=round_.cohort, user=withdrawn).update(
        status=Enrollment.Status.WITHDRAWN
    )
    Profile.objects.filter(user=changed, program=cast.program).update(
        updated_at=timezone.now() + dt.timedelta(minutes=1)
    )
    page = client_for(cast.coord).get(confirm_url(run)).content.decode()
    assert f"{left.get_full_name()} has left the institution on" in page
    assert f"{withdrawn.get_full_name()} is no longer enrolled in the cohort" in page
    assert f"{changed.get_full_name()} changed their profile after this run was made" in page


def test_warnings_of_groups_are_listed(run, cast, client_for):
    group = run.groups.first()
    group.warnings = ["Low score: little in common"]
    group.save()
    page = client_for(cast.coord).get(confirm_url(run)).content.decode()
    assert "Group 1: Low score: little in common" in page


@pytest.mark.parametrize("role", ["alice", "carol", "other_coord", "rhea"])
def test_nobody_else_sees_the_confirmation(run, cast, client_for, role):
    assert client_for(getattr(cast, role)).get(confirm_url(run)).status_code == 404


def test_after_publishing_each_group_shows_its_answers_without_naming_who_declined(
    run, round_, cast, client_for
):
    other = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    partnerships = services.match_run_publish(run=run, by=cast.coord, notify=False)
    first, second = partnerships[0], partnerships[1]
    first_members = [m.user for m in first.members.all()]
    for member in first_members:
        partnership_services.partnership_accept(partnership=first, member=member)
    decliner = second.members.first().user
    partnership_services.partnership_decline(partnership=second, member=decliner)
    coord = client_for(cast.coord)
    page = coord.get(reverse("rounds:run", args=[run.pk])).content.decode()
    assert f'<span class="badge ok">Active</span> {len(first_members)} of' in page
    assert '<span class="badge warn">Not taken up</span>' in page
    assert "declined" not in page.lower()
    assert "Waiting" in page
    superseded = coord.get(reverse("rounds:run", args=[other.pk])).content.decode()
    assert "Superseded" in superseded
    assert f'Run <a href="{reverse("rounds:run", args=[run.pk])}">#{run.pk}</a> was published' in (
        superseded
    )
