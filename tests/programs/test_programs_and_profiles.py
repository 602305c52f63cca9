"""Coordinators create programs and cohorts; participants keep their profile."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.programs import services
from tandem.programs.models import Cohort, Program, ProgramRole


def test_a_coordinator_creates_a_program_and_becomes_its_coordinator(cast, client_for):
    response = client_for(cast.coord).post(
        reverse("programs:create"),
        {
            "name": "Surgery Peers",
            "institution": "Riverside",
            "ladder": "PGY1\nPGY2\nPGY3",
            "topics": "research\nteaching",
            "max_stage_gap": 1,
            "retention_days": 180,
        },
    )
    assert response.status_code == 302
    program = Program.objects.get(slug="surgery-peers")
    assert program.ladder == ["PGY1", "PGY2", "PGY3"]
    assert ProgramRole.objects.filter(program=program, user=cast.coord, role="coordinator").exists()


def test_a_program_form_with_errors_keeps_what_was_typed(cast, client_for):
    response = client_for(cast.coord).post(
        reverse("programs:create"),
        {
            "name": "Dupes",
            "ladder": "PGY1\npgy1",
            "topics": "research",
            "max_stage_gap": 1,
            "retention_days": 30,
        },
    )
    assert response.status_code == 200
    assert b"Each stage on the ladder must be different" in response.content
    assert b"Dupes" in response.content
    assert not Program.objects.filter(name="Dupes").exists()


def test_a_cohort_must_end_after_it_starts(cast, client_for):
    response = client_for(cast.coord).post(
        reverse("programs:cohort_create", args=["riverside"]),
        {"name": "Backwards", "starts_on": "2027-05-01", "ends_on": "2027-01-01", "mode": "pairs"},
    )
    assert response.status_code == 200
    assert b"must end on or after" in response.content
    assert not Cohort.objects.filter(name="Backwards").exists()


def test_a_coordinator_creates_and_edits_a_cohort(cast, client_for):
    client = client_for(cast.coord)
    client.post(
        reverse("programs:cohort_create", args=["riverside"]),
        {
            "name": "Circles 2027",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "mode": "circles",
            "enrolment_open": "on",
        },
    )
    cohort = Cohort.objects.get(slug="circles-2027")
    assert cohort.mode == "circles"
    client.post(
        reverse("programs:cohort_edit", args=["riverside", "circles-2027"]),
        {
            "name": "Circles 2027",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
            "mode": "pairs",
        },
    )
    cohort.refresh_from_db()
    assert cohort.mode == "pairs"
    assert cohort.enrolment_open is False


def test_invitations_are_emailed_to_each_address(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.coord).post(
            reverse("programs:cohort_invite", args=["riverside", "fall"]),
            {"emails": "One@example.org\ntwo@example.org\n"},
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["one@example.org", "two@example.org"]
    assert "Fall cohort" in mailoutbox[0].subject


def test_a_bad_address_in_the_invitation_list_sends_nothing(cast, client_for, mailoutbox):
    response = client_for(cast.coord).post(
        reverse("programs:cohort_invite", args=["riverside", "fall"]),
        {"emails": "good@example.org\nnot an address"},
    )
    assert response.status_code == 400
    assert b"not an address" in response.content
    assert mailoutbox == []


def test_a_participant_edits_their_profile_and_sees_its_completeness(cast, client_for):
    client = client_for(cast.alice)
    response = client.post(
        reverse("participant:profile", args=["riverside"]),
        {
            "stage": "PGY3",
            "specialty": "Pediatrics",
            "institution": "",
            "offers": ["teaching"],
            "seeks": ["grants", "leadership"],
            "main_thing": "Match into a neonatology fellowship.",
            "specialty_preference": "different",
            "availability": ["mon-am", "fri-pm"],
        },
    )
    assert response.status_code == 302
    profile = cast.alice.profiles.get()
    assert profile.stage == "PGY3"
    assert profile.seeks == ["grants", "leadership"]
    assert profile.completeness == 86
    assert profile.missing_fields == ["institution"]
    page = client.get(reverse("participant:profile", args=["riverside"]))
    assert b"86% complete" in page.content


def test_a_profile_with_an_unknown_topic_is_refused(cast):
    profile = cast.alice.profiles.get()
    with pytest.raises(ValidationError) as caught:
        services.profile_update(
            profile=profile,
            stage="PGY2",
            specialty="",
            institution="",
            offers=["juggling"],
            seeks=[],
            main_thing="",
            specialty_preference="any",
            availability=["someday"],
        )
    assert set(caught.value.message_dict) == {"offers", "availability"}


def test_the_last_coordinator_cannot_be_removed(cast):
    with pytest.raises(ValidationError, match="at least one coordinator"):
        services.role_revoke(program=cast.program, user=cast.coord, role="coordinator")
