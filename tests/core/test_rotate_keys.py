"""`tandem rotate-keys` re-encrypts every private value under the newest key, so the old key
can be removed and everything still reads back."""

from __future__ import annotations

import io

import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from tandem.audit.models import AuditEvent
from tandem.core.crypto import UndecryptableValue, encrypted_fields
from tandem.workspace import services
from tandem.workspace.models import Goal, Meeting, Note
from tests.workspace import factories as wf

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def _raw_values():
    values = {}
    with connection.cursor() as cursor:
        for model, field in encrypted_fields():
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(field.column)
            cursor.execute(f"SELECT id, {column} FROM {table}")  # noqa: S608 - ORM names
            for pk, raw in cursor.fetchall():
                values[(model._meta.label, field.name, pk)] = raw
    return values


def test_rotation_lets_the_old_key_go(cast):
    # The operator's authenticator was stored under the suite's own key, which this test drops.
    Authenticator.objects.filter(user=cast.olga).delete()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        wf.sign_agreement(cast.partnership)
        for index in range(7):
            wf.note(cast.partnership, cast.alice, f"Note {index}")
        goal = wf.goal(cast.partnership, cast.alice, "Goal under A")
        services.milestone_add(goal=goal, by=cast.alice, text="Milestone under A")
        wf.meeting(cast.partnership, cast.bob, location="Room A")
        wf.action_item(cast.partnership, cast.bob, "Item under A")
    before = _raw_values()
    assert len(before) >= 13

    out = io.StringIO()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_keys", "--batch-size", "3", stdout=out)
    report = out.getvalue()
    assert "workspace.Note.body: 7 re-encrypted" in report
    assert f"Total: {len(before)} value(s) re-encrypted." in report

    after = _raw_values()
    assert after.keys() == before.keys()
    assert all(after[key] != before[key] and after[key].startswith("enc2:") for key in before)

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        assert sorted(note.body for note in Note.objects.all()) == [
            f"Note {index}" for index in range(7)
        ]
        assert Goal.objects.get().title == "Goal under A"
        assert Goal.objects.get().milestones.get().text == "Milestone under A"
        assert Meeting.objects.get().location == "Room A"
        assert cast.partnership.agreement_versions.get().text.startswith("**Our peer agreement")

    event = AuditEvent.objects.get(action=AuditEvent.Action.KEYS_ROTATED)
    assert event.detail["total"] == len(before)
    assert event.detail["counts"]["workspace.Note.body"] == 7
    assert "Note 1" not in str(event.detail)


def test_without_rotation_removing_the_old_key_loses_access(cast):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        wf.sign_agreement(cast.partnership)
        wf.note(cast.partnership, cast.alice, "Under A only")
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]), pytest.raises(UndecryptableValue):
        Note.objects.get().body  # noqa: B018


def test_values_no_key_can_read_are_reported_and_fail_the_command(cast):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        wf.sign_agreement(cast.partnership)
        wf.note(cast.partnership, cast.alice, "Lost")
    err = io.StringIO()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]), pytest.raises(CommandError) as raised:
        call_command("rotate_keys", stdout=io.StringIO(), stderr=err)
    assert "workspace.Note.body: 1" in str(raised.value)
