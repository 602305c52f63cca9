"""Data rights: a person downloads all their own data, and deletes their account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.core import personal_data as registry
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Enrollment, Profile
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def download(client, kind: str = "json"):
    return client.post(reverse("privacy:download"), {"format": kind})


def test_a_person_downloads_their_own_data_as_json(cast, client_for):
    response = download(client_for(cast.alice))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tandem-my-data.json"'
    data = json.loads(response.content)
    sections = data["sections"]
    assert sections["account"]["email"] == "alice@example.org"
    assert sections["programs"]["profiles"][0]["main_thing"] == (
        cast.alice.profiles.get().main_thing
    )
    assert sections["programs"]["enrolments"][0]["cohort"] == "fall"
    assert sections["partnerships"][0]["partnership_id"] == cast.partnership.pk


def test_the_download_holds_nothing_of_anyone_else(cast, client_for):
    content = download(client_for(cast.alice)).content.decode()
    for other in ("bob@example.org", "Bob Brown", "carol@example.org", "coord@example.org"):
        assert other not in content


def test_the_download_is_also_a_zip_of_csv_files(cast, client_for):
    response = download(client_for(cast.alice), "zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"tandem-data.json", "programs-profiles.csv", "partnerships.csv"} <= names
    assert "alice@example.org" in archive.read("account.csv").decode()


def test_each_download_is_audited_without_its_content(cast, client_for):
    download(client_for(cast.alice))
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERSONAL_DATA_DOWNLOADED)
    assert event.actor == cast.alice
    assert event.detail == {"format": "json"}


def test_downloads_are_rate_limited(cast, client_for, settings):
    settings.TANDEM_EXPORT_RATE_LIMIT = "3/h"
    client = client_for(cast.alice)
    answers = [download(client).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # Another person's allowance is their own.
    assert download(client_for(cast.bob)).status_code == 200


def test_an_app_registers_its_own_section(cast, client_for):
    registry.register("example", personal_data=lambda user: [{"owner": user.pk}])
    try:
        data = json.loads(download(client_for(cast.alice)).content)
    finally:
        registry._SOURCES.unregister("example")
    assert data["sections"]["example"] == [{"owner": cast.alice.pk}]


def test_deleting_needs_the_right_password(cast, client_for):
    client = client_for(cast.alice)
    response = client.post(reverse("privacy:delete"), {"confirmation": "wrong"})
    assert response.status_code == 200
    assert b"That is not your password." in response.content
    assert User.objects.filter(pk=cast.alice.pk).exists()


def test_a_person_deletes_their_account_and_is_signed_out(cast, client_for):
    alice_id = cast.alice.pk
    client = client_for(cast.alice)
    response = client.post(reverse("privacy:delete"), {"confirmation": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice_id).exists()
    assert not Profile.objects.filter(user_id=alice_id).exists()
    assert not Enrollment.objects.filter(user_id=alice_id).exists()
    assert client.get(reverse("accounts:api_tokens")).status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_DELETED)
    assert event.target_id == str(alice_id)
    assert "alice" not in json.dumps(event.detail)
    assert event.actor is None


def test_the_partner_keeps_a_coherent_history_after_a_deletion(cast, client_for):
    client_for(cast.alice).post(reverse("privacy:delete"), {"confirmation": PASSWORD})
    partnership = Partnership.objects.get(pk=cast.partnership.pk)
    members = list(PartnershipMember.objects.filter(partnership=partnership))
    assert len(members) == 2
    former = next(member for member in members if member.user_id != cast.bob.pk)
    assert former.user.full_name == "Former member"
    assert not former.user.is_active
    assert not former.user.has_usable_password()
    assert "alice" not in former.user.email
    assert partnership.status == Partnership.Status.EXITED
    # Bob is free to be matched again in the cohort.
    assert not PartnershipMember.objects.filter(user=former.user, is_current=True).exists()


def test_an_institution_only_account_confirms_deletion_with_its_address(cast, client_for):
    cast.carol.set_unusable_password()
    cast.carol.save()
    client = client_for(cast.carol)
    assert (
        client.post(reverse("privacy:delete"), {"confirmation": "x@example.org"}).status_code == 200
    )
    client.post(reverse("privacy:delete"), {"confirmation": "Carol@Example.org"})
    assert not User.objects.filter(pk=cast.carol.pk).exists()


def test_a_deleted_persons_lockout_records_go_too(cast):
    from axes.models import AccessAttempt
    from django.test import Client

    Client().post(reverse("account_login"), {"login": "alice@example.org", "password": "x"})
    assert AccessAttempt.objects.filter(username="alice@example.org").exists()
    from tandem.privacy.services import account_delete

    account_delete(user=cast.alice)
    assert not AccessAttempt.objects.filter(username="alice@example.org").exists()


@pytest.fixture
def workspace(cast):
    from tests.workspace import factories as wf

    wf.sign_agreement(cast.partnership)
    wf.note(cast.partnership, cast.alice, "Alice's own reflection on the grant")
    wf.note(cast.partnership, cast.bob, "Bob's private worry about boards")
    wf.goal(cast.partnership, cast.alice, "Alice submits the K award")
    wf.goal(cast.partnership, cast.bob, "Bob passes boards")
    return cast


def test_the_download_holds_what_the_person_wrote_and_not_their_partners_words(
    workspace, client_for
):
    content = download(client_for(workspace.alice)).content.decode()
    data = json.loads(content)["sections"]["workspace"]
    assert [note["body"] for note in data["notes_written"]] == [
        "Alice's own reflection on the grant"
    ]
    assert [goal["title"] for goal in data["goals"]] == ["Alice submits the K award"]
    assert "boards" not in content


def test_deleting_removes_the_persons_words_and_keeps_the_partners(
    workspace, client_for, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tandem.workspace.models import Goal, Note

    with django_capture_on_commit_callbacks(execute=True):
        client_for(workspace.alice).post(reverse("privacy:delete"), {"confirmation": PASSWORD})
    pair = workspace.partnership
    assert [note.body for note in Note.objects.filter(partnership=pair)] == [
        "Bob's private worry about boards"
    ]
    assert [goal.title for goal in Goal.objects.filter(partnership=pair)] == ["Bob passes boards"]
    # The partnership ended through the ordinary no-fault exit, and Bob was told.
    assert Partnership.objects.get(pk=pair.pk).status == Partnership.Status.EXITED
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]
    assert "Alice" not in mail.outbox[0].body


def test_the_download_holds_the_persons_check_ins_and_journal(cast, client_for):
    from tandem.wellbeing import services as wellbeing

    wellbeing.pulse_record(user=cast.alice, burnout=4, supported=2, word="stretched")
    wellbeing.reflection_create(user=cast.alice, kind="setback", what_happened="Rejected abstract")
    wellbeing.pulse_record(user=cast.bob, burnout=1, supported=5, word="BOBWORD")
    content = download(client_for(cast.alice)).content.decode()
    section = json.loads(content)["sections"]["wellbeing"]
    assert [pulse["word"] for pulse in section["check_ins"]] == ["stretched"]
    assert section["journal"][0]["what_happened"] == "Rejected abstract"
    assert "BOBWORD" not in content


def test_deleting_removes_the_persons_check_ins(cast, client_for):
    from tandem.wellbeing import services as wellbeing
    from tandem.wellbeing.models import Pulse

    wellbeing.pulse_record(user=cast.alice, burnout=4, supported=2, word="stretched")
    wellbeing.pulse_record(user=cast.bob, burnout=1, supported=5, word="steady")
    client_for(cast.alice).post(reverse("privacy:delete"), {"confirmation": PASSWORD})
    assert [pulse.word for pulse in Pulse.objects.all()] == ["steady"]


def test_the_download_holds_the_outcomes_recorded_about_the_person_and_their_consents(cast):
    from tandem.outcomes.models import Publication
    from tandem.privacy.services import personal_data_collect, personal_data_zip
    from tandem.research.models import ResearchConsent
    from tandem.research.services import research_consent_record
    from tests.research.helpers import protocol_for

    profile = cast.alice.profiles.get()
    Publication.objects.create(profile=profile, title="Night shifts and sleep", year=2026)
    Publication.objects.create(profile=cast.bob.profiles.get(), title="Bob's own paper", year=2026)
    protocol = protocol_for(cast.cohort)
    for decision in (ResearchConsent.Decision.CONSENTED, ResearchConsent.Decision.WITHDRAWN):
        research_consent_record(protocol=protocol, user=cast.alice, decision=decision)

    data = personal_data_collect(cast.alice)
    assert [p["title"] for p in data["sections"]["outcomes"]["publications"]] == [
        "Night shifts and sleep"
    ]
    decisions = [row["decision"] for row in data["sections"]["research"]["consent_decisions"]]
    assert decisions == ["Consented", "Withdrew"]
    with zipfile.ZipFile(io.BytesIO(personal_data_zip(data))) as archive:
        assert any("publications" in name for name in archive.namelist())
