"""The audit log records sign-ins, failures, lockouts, sign-outs and role changes — ids only —
and only operators can read it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AppendOnlyError, AuditEvent
from tandem.programs import services
from tandem.programs.models import ProgramRole
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def sign_in(email: str, password: str, address: str = "192.0.2.44") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.post(reverse("account_login"), {"login": email, "password": password})
    return client


def test_a_sign_in_is_recorded_with_who_and_where(cast):
    sign_in("alice@example.org", PASSWORD)
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.actor == cast.alice
    assert event.ip_address == "192.0.2.44"
    assert event.detail == {"method": "password", "second_factor": False}


def test_a_failed_sign_in_names_the_account_but_never_what_was_typed(cast):
    sign_in("alice@example.org", "hunter2-wrong")
    sign_in("hunter2-typo@example.org", "whatever")
    known, unknown = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).order_by("pk")
    assert (known.target_id, known.detail) == (str(cast.alice.pk), {"known_account": True})
    assert (unknown.target_id, unknown.detail) == ("", {"known_account": False})
    everything = str(list(AuditEvent.objects.values()))
    assert "hunter2" not in everything


def test_a_lockout_is_recorded(cast):
    for _ in range(5):
        sign_in("alice@example.org", "wrong password")
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_LOCKED, target_id=cast.alice.pk)


def test_a_sign_out_is_recorded(cast):
    client = sign_in("alice@example.org", PASSWORD)
    client.post(reverse("account_logout"))
    assert AuditEvent.objects.get(action=Action.SIGN_OUT).actor == cast.alice


def test_granting_and_revoking_a_role_is_recorded_with_who_did_it(cast):
    services.role_grant(
        program=cast.program, user=cast.carol, role=ProgramRole.Role.RESEARCHER, actor=cast.coord
    )
    services.role_grant(  # granting again changes nothing and records nothing
        program=cast.program, user=cast.carol, role=ProgramRole.Role.RESEARCHER, actor=cast.coord
    )
    services.role_revoke(
        program=cast.program, user=cast.carol, role=ProgramRole.Role.RESEARCHER, actor=cast.olga
    )
    granted = AuditEvent.objects.get(action=Action.ROLE_GRANTED, detail__user=cast.carol.pk)
    revoked = AuditEvent.objects.get(action=Action.ROLE_REVOKED)
    assert granted.actor == cast.coord
    assert granted.detail == {
        "role": "researcher",
        "program": cast.program.pk,
        "user": cast.carol.pk,
    }
    assert revoked.actor == cast.olga


def test_accepting_a_staff_invitation_records_the_inviter_as_granting(cast):
    invitation, _ = services.invitation_create(
        program=cast.program,
        email="new-coord@example.org",
        role="coordinator",
        invited_by=cast.coord,
        send=False,
    )
    newcomer = services.user_create_for_invitation(email="new-coord@example.org")
    services.invitation_accept(invitation=invitation, user=newcomer)
    event = AuditEvent.objects.get(action=Action.ROLE_GRANTED, detail__user=newcomer.pk)
    assert event.actor == cast.coord


def test_audit_events_cannot_be_changed_or_deleted(cast):
    sign_in("alice@example.org", PASSWORD)
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.OTHER)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("actor", ["alice", "coord", "other_coord", "rhea"])
def test_only_operators_see_the_audit_page(cast, client_for, actor):
    assert client_for(getattr(cast, actor)).get(reverse("audit:log")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_from_the_audit_page(cast, client_for):
    response = client_for(None).get(reverse("audit:log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_operator_filters_the_audit_log_by_action_actor_and_date(cast, client_for):
    sign_in("alice@example.org", PASSWORD)
    sign_in("bob@example.org", PASSWORD)
    sign_in("bob@example.org", "wrong")
    client = client_for(cast.olga)
    url = reverse("audit:log")

    by_actor = client.get(url, {"action": "sign_in", "actor": "bob@"}).content.decode()
    assert "bob@example.org" in by_actor
    assert "alice@example.org" not in by_actor

    failures = client.get(url, {"action": "sign_in_failed"}).context["page"]
    assert [event.action for event in failures] == ["sign_in_failed"]

    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert not client.get(url, {"since": tomorrow}).context["page"].object_list


def test_the_audit_page_is_paginated(cast, client_for):
    from tandem.audit.services import audit_record

    for _ in range(60):
        audit_record(action=Action.OTHER, actor=cast.alice)
    client = client_for(cast.olga)
    first = client.get(reverse("audit:log"))
    second = client.get(reverse("audit:log"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert second.context["page"].number == 2
    assert b"Older" in first.content
