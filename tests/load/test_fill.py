"""The load fill, at a tiny size: it creates the world it promises, encrypted and usable."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.utils.html import escape

from load import fill as load_fill
from tandem.accounts.models import User
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Enrollment, Profile, Program, ProgramRole
from tandem.wellbeing.models import Kudos, Pulse
from tandem.workspace import selectors as workspace_selectors
from tandem.workspace.models import ActionItem, Goal, Meeting, Milestone, Note


def test_the_fill_creates_people_partnerships_and_a_year_of_activity(db):
    summary = load_fill.fill(participants=31)

    assert Program.objects.count() == 1 == summary.programs
    assert Cohort.objects.count() == 2
    assert User.objects.filter(email__endswith="@load.tandem.test").count() == 31 + 2
    assert ProgramRole.objects.filter(role="coordinator").count() == 2
    assert Profile.objects.count() == Enrollment.objects.count() == 31
    # 31 people in cohorts of 16 and 15: 8 pairs, then 6 pairs and a triad.
    assert Partnership.objects.filter(status="active").count() == 15
    assert PartnershipMember.objects.count() == 31
    assert Partnership.objects.filter(kind="triad").count() == 1
    every_workspace_open = all(
        workspace_selectors.agreement_in_force(p) for p in Partnership.objects.all()
    )
    assert every_workspace_open
    assert Meeting.objects.filter(status="held").count() >= 15 * 5
    assert ActionItem.objects.count() == Meeting.objects.count()
    assert Goal.objects.count() == Milestone.objects.count() == 31 * 2
    assert Note.objects.count() >= 15 * 4
    assert Kudos.objects.count() == 15 * 3
    assert Pulse.objects.count() >= 31 * 3
    assert summary.counts["pulses"] == Pulse.objects.count()


def test_private_text_is_stored_encrypted(db):
    load_fill.fill(participants=4)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM workspace_note")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored
    assert all(value.startswith("enc2:") for value in stored)
    assert Note.objects.first().body in load_fill.NOTE_LINES


def test_a_filled_participant_signs_in_and_opens_their_workspace(db):
    load_fill.fill(participants=4)
    client = Client()
    signed_in = client.post(
        "/accounts/login/",
        {"login": load_fill.participant_email(0), "password": load_fill.PASSWORD},
    )
    assert signed_in.status_code == 302
    partnership = Partnership.objects.get(members__user__email=load_fill.participant_email(0))
    page = client.get(f"/partnerships/{partnership.pk}/notes/")
    assert page.status_code == 200
    note = Note.objects.filter(partnership=partnership).first()
    assert note is not None
    assert escape(note.body).encode() in page.content
