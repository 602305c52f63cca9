"""The demo: partnerships come from a published run, and an open cohort has a draft to review."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.demo import institution as demo
from tandem.partnerships.models import Partnership
from tandem.rounds.models import MatchRun


def test_the_demo_resident_has_an_active_partnership_from_a_published_run(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        program = demo.load_demo()
    assert mail.outbox == []
    published = MatchRun.objects.get(cohort__program=program, status=MatchRun.Status.PUBLISHED)
    mine = Partnership.objects.get(members__user__email=demo.PARTICIPANT_EMAIL)
    assert mine.status == Partnership.Status.ACTIVE
    assert mine.match_group.run == published
    assert Partnership.objects.filter(status=Partnership.Status.PROPOSED).count() == 2
    draft = MatchRun.objects.get(cohort__slug="spring-pairs")
    assert draft.status == MatchRun.Status.DRAFT
    assert draft.cohort.enrolment_open
    coordinator = Client()
    assert coordinator.login(email=demo.COORDINATOR_EMAIL, password=demo.DEMO_PASSWORD)
    page = coordinator.get(reverse("rounds:run", args=[draft.pk]))
    assert b"Proposed groups" in page.content
    resident = Client()
    assert resident.login(email=demo.PARTICIPANT_EMAIL, password=demo.DEMO_PASSWORD)
    workspace = resident.get(reverse("workspace:home", args=[mine.pk]))
    assert workspace.status_code == 200


def test_the_demo_resident_is_asked_about_a_late_joiner_the_partner_already_agreed_to(
    db, django_capture_on_commit_callbacks
):
    from tandem.demo.rounds import LATE_JOINER_EMAIL
    from tandem.rounds.models import Placement, PlacementConsent

    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo()
    assert mail.outbox == []
    placement = Placement.objects.get(newcomer__email=LATE_JOINER_EMAIL)
    assert placement.status == Placement.Status.ASKING
    answers = dict(placement.consents.values_list("member__email", "answer"))
    assert answers.pop(demo.PARTICIPANT_EMAIL) == PlacementConsent.Answer.PENDING
    assert set(answers.values()) == {PlacementConsent.Answer.YES}
    resident = Client()
    assert resident.login(email=demo.PARTICIPANT_EMAIL, password=demo.DEMO_PASSWORD)
    page = resident.get(reverse("rounds:proposals")).content.decode()
    assert "Jordan Okafor would like to join" in page
    assert resident.get(reverse("rounds:placement", args=[placement.pk])).status_code == 200
