"""Every e-mail is a task: written with the change that causes it, sent by the worker one
recipient at a time, retried with backoff, and left for operators when it keeps failing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from tandem.core import mail as core_mail
from tandem.core.models import OutgoingEmail
from tandem.core.tasks import email_send, emails_retry_due
from tests.core import failing_mail


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = "tests.core.failing_mail.RefusingBackend"
    failing_mail.REFUSED.clear()
    yield failing_mail.REFUSED
    failing_mail.REFUSED.clear()


def _invite(people, **extra):
    for person in people:
        core_mail.send_email_on_commit(
            to=[person.email],
            template="notifications/email/test",
            context={"recipient": person, "message": "hello"},
            **extra,
        )


@pytest.fixture(autouse=True)
def _template(settings, tmp_path):
    folder = tmp_path / "notifications" / "email"
    folder.mkdir(parents=True)
    (folder / "test_subject.txt").write_text("Hello {{ recipient.get_full_name }}")
    (folder / "test.txt").write_text("{{ message }}, {{ recipient.get_full_name }}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


def test_nothing_is_sent_before_the_commit_and_each_recipient_gets_their_own(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite([cast.alice, cast.bob])
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 2
    for callback in callbacks:
        callback()
    assert sorted(m.to for m in mail.outbox) == [[cast.alice.email], [cast.bob.email]]
    assert not OutgoingEmail.objects.exists()  # a sent e-mail is not kept


def test_an_email_of_a_rolled_back_change_is_never_written_or_sent(
    cast, django_capture_on_commit_callbacks
):
    def change_that_fails() -> None:
        with transaction.atomic():
            _invite([cast.alice])
            raise RuntimeError("the change fails")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_one_refused_recipient_does_not_stop_the_others(
    cast, refusing, django_capture_on_commit_callbacks
):
    refusing.add(cast.bob.email)
    with django_capture_on_commit_callbacks(execute=True):
        _invite([cast.alice, cast.bob, cast.carol])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.alice.email, cast.carol.email])
    waiting = OutgoingEmail.objects.get()
    assert (waiting.to, waiting.status, waiting.attempts) == (cast.bob.email, "retrying", 1)
    assert "SMTPRecipientsRefused" in waiting.last_error
    assert waiting.next_attempt_at > timezone.now() + dt.timedelta(minutes=4)


def test_a_failing_email_is_retried_with_growing_delays_then_left_failed(
    cast, refusing, settings, django_capture_on_commit_callbacks
):
    settings.TANDEM_EMAIL_MAX_ATTEMPTS = 4
    refusing.add(cast.bob.email)
    with django_capture_on_commit_callbacks(execute=True):
        _invite([cast.bob])
    email = OutgoingEmail.objects.get()
    now = timezone.now()
    delays = []
    while email.status == OutgoingEmail.Status.RETRYING:
        assert email.pk not in core_mail.emails_due(now)  # not before its time
        delays.append(email.next_attempt_at - now)
        now = email.next_attempt_at
        assert core_mail.emails_due(now) == [email.pk]
        core_mail.email_deliver(email.pk, now=now)
        email.refresh_from_db()
    assert [round(d.total_seconds() / 60) for d in delays] == [5, 15, 45]
    assert (email.status, email.attempts, email.next_attempt_at) == ("failed", 4, None)
    assert core_mail.emails_due(now + dt.timedelta(days=7)) == []
    assert mail.outbox == []


def test_a_retry_that_is_due_is_sent_once_the_server_takes_it(
    cast, refusing, django_capture_on_commit_callbacks
):
    refusing.add(cast.bob.email)
    with django_capture_on_commit_callbacks(execute=True):
        _invite([cast.bob])
    OutgoingEmail.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    refusing.clear()
    assert emails_retry_due.call() == 1
    assert [m.to for m in mail.outbox] == [[cast.bob.email]]
    assert mail.outbox[0].body == f"hello, {cast.bob.get_full_name()}"
    assert not OutgoingEmail.objects.exists()


def test_an_email_sent_twice_by_two_workers_goes_out_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _invite([cast.alice])
    email_id = OutgoingEmail.objects.get().pk
    assert email_send.call(email_id) == "sent"
    assert email_send.call(email_id) == "gone"
    assert len(mail.outbox) == 1


def test_attachments_travel_through_the_queue_unchanged(cast, django_capture_on_commit_callbacks):
    invite = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        _invite([cast.alice], attachments=[("meeting.ics", invite, "text/calendar")])
    (name, content, kind) = mail.outbox[0].attachments[0]
    assert (name, kind) == ("meeting.ics", "text/calendar")
    assert (content if isinstance(content, bytes) else content.encode()) == invite


def test_the_stored_email_text_is_encrypted_at_rest(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _invite([cast.alice])
    stored = OutgoingEmail.objects.values_list("subject", "body").get()
    assert all(cast.alice.get_full_name() not in str(value) for value in stored)


def test_operators_see_failed_emails_without_their_text_and_can_queue_them_again(
    cast, refusing, settings, client_for, django_capture_on_commit_callbacks
):
    settings.TANDEM_EMAIL_MAX_ATTEMPTS = 1
    refusing.add(cast.bob.email)
    with django_capture_on_commit_callbacks(execute=True):
        _invite([cast.bob])
    email = OutgoingEmail.objects.get(status="failed")
    olga = client_for(cast.olga)
    page = olga.get("/admin/core/outgoingemail/").content.decode()
    assert cast.bob.email in page
    assert "SMTPRecipientsRefused" in page
    detail = olga.get(f"/admin/core/outgoingemail/{email.pk}/change/").content.decode()
    assert "[private]" in detail
    assert cast.bob.get_full_name() not in detail
    refusing.clear()
    with django_capture_on_commit_callbacks(execute=True):
        olga.post(
            "/admin/core/outgoingemail/",
            {"action": "retry_now", "_selected_action": [email.pk]},
        )
    assert [m.to for m in mail.outbox] == [[cast.bob.email]]
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("who", ["alice", "coord", "rhea"])
def test_nobody_but_the_operator_opens_the_list_of_emails(cast, client_for, who):
    response = client_for(getattr(cast, who)).get("/admin/core/outgoingemail/")
    assert response.status_code in (302, 403, 404)
