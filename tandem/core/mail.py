"""Every e-mail is a task: written in the transaction that causes it, sent by the worker.

``send_email_on_commit`` renders the message now (the templates receive only what the
recipient may see), stores one ``OutgoingEmail`` per recipient in the current transaction and,
once it commits, queues one task per e-mail: mail is never sent for work that was rolled back,
and one failing recipient never stops the others. A failed send is retried with backoff by the
``emails_retry_due`` job and, after the last attempt, stays in the admin for operators.

Code that writes many e-mails at once (the proposals of a published cohort, written by the
worker) wraps its loop in ``email_batch()``: the e-mails are then inserted together and handed
out by one task, so its queries do not grow with the number of recipients.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django_tasks import task

from tandem.core.crypto import primary_keys_assign
from tandem.core.models import OutgoingEmail
from tandem.core.periodic import periodic

logger = logging.getLogger("tandem.mail")
INSERT_BATCH = 500
Attachment = tuple[str, bytes, str]


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` into (subject, body)."""
    full_context = {"base_url": settings.BASE_URL, **context}
    subject = " ".join(_render_plain(f"{template}_subject.txt", full_context).split())
    body = _render_plain(f"{template}.txt", full_context)
    return subject, body


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """Render a plain-text template without HTML escaping (``O'Neil & Co`` stays as typed)."""
    backend_template = get_template(name)
    return backend_template.template.render(Context(context, autoescape=False))  # type: ignore[attr-defined,no-any-return]


def _message(
    *, to: list[str], subject: str, body: str, attachments: Sequence[Attachment]
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send_email_now(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment] = (),
) -> None:
    """Send at once, in this process: only for code already running in the worker."""
    subject, body = render_email(template, context)
    _message(to=to, subject=subject, body=body, attachments=attachments).send()


# ---------------------------------------------------------------- queueing
def _packed(attachments: Sequence[Attachment]) -> str:
    if not attachments:
        return ""
    return json.dumps(
        [
            [name, base64.b64encode(content).decode("ascii"), kind]
            for name, content, kind in attachments
        ]
    )


def _unpacked(stored: str) -> list[Attachment]:
    if not stored:
        return []
    return [(name, base64.b64decode(data), kind) for name, data, kind in json.loads(stored)]


class _Batch(threading.local):
    emails: list[OutgoingEmail] | None = None


_batch = _Batch()


def send_email_on_commit(
    *,
    to: list[str],
    template: str,
    context: dict[str, Any],
    attachments: Sequence[Attachment] = (),
) -> None:
    """Queue an e-mail to each address in ``to``; each goes out by its own task once the
    current transaction has committed, and nothing goes out if it rolls back."""
    subject, body = render_email(template, context)
    queue_rendered_email_on_commit(
        to=to, template=template, subject=subject, body=body, attachments=attachments
    )


def queue_rendered_email_on_commit(
    *,
    to: list[str],
    template: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Queue a message already rendered (by a library with its own templates, such as the
    account e-mails) exactly as ``send_email_on_commit`` queues its own: plain text, one
    e-mail per address, sent by the worker once the current transaction commits."""
    emails = [
        OutgoingEmail(
            to=address,
            template=template[:200],
            subject=subject,
            body=body,
            attachments=_packed(attachments),
        )
        for address in to
    ]
    if _batch.emails is not None:
        _batch.emails.extend(emails)
        return
    for email in emails:
        email.save()
        transaction.on_commit(_enqueue_one(email.pk))


def _enqueue_one(email_id: int) -> Any:
    def enqueue() -> None:
        email_send.enqueue(email_id)

    return enqueue


@contextlib.contextmanager
def email_batch() -> Iterator[None]:
    """Collect the e-mails written inside the block and store them together at its end.

    Use it inside a transaction whose inner savepoints are not rolled back while it runs (an
    e-mail collected before such a rollback would still be stored). If the block raises,
    nothing is stored.
    """
    if _batch.emails is not None:
        yield  # already inside a batch: the outer one stores everything
        return
    _batch.emails = []
    try:
        yield
        emails, _batch.emails = _batch.emails, None
    finally:
        _batch.emails = None
    if not emails:
        return
    primary_keys_assign(emails)
    OutgoingEmail.objects.bulk_create(emails, batch_size=INSERT_BATCH)
    ids = [email.pk for email in emails]

    def enqueue() -> None:
        emails_dispatch.enqueue(ids)

    transaction.on_commit(enqueue)


# ---------------------------------------------------------------- sending (in the worker)
def max_attempts() -> int:
    return int(settings.TANDEM_EMAIL_MAX_ATTEMPTS)


def retry_delay(attempts: int) -> dt.timedelta:
    """Five minutes after the first failure, then three times longer each time, at most a day."""
    return min(dt.timedelta(minutes=5 * 3 ** (attempts - 1)), dt.timedelta(days=1))


def email_deliver(email_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one queued e-mail; "sent", "retrying", "failed" or "gone" (sent or deleted before).

    The row is locked while it is sent, so two workers never send it twice. A sent e-mail is
    deleted; a failure is recorded (the error's kind and message, never the text) and either
    scheduled for another attempt or, after the last, left failed for operators.
    """
    now = now or timezone.now()
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(
                pk=email_id, status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING]
            )
            .first()
        )
        if email is None:
            return "gone"
        try:
            _message(
                to=[email.to],
                subject=email.subject,
                body=email.body,
                attachments=_unpacked(email.attachments),
            ).send()
        except Exception as error:  # any failure of the mail server is recorded, then retried
            email.attempts += 1
            email.last_error = f"{type(error).__name__}: {error}"[:300]
            if email.attempts >= max_attempts():
                email.status = OutgoingEmail.Status.FAILED
                email.next_attempt_at = None
                logger.warning(
                    "e-mail %s (%s) failed for good after %s attempts: %s",
                    email.pk,
                    email.template,
                    email.attempts,
                    type(error).__name__,
                )
            else:
                email.status = OutgoingEmail.Status.RETRYING
                email.next_attempt_at = now + retry_delay(email.attempts)
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return str(email.status)
        email.delete()
    return "sent"


def emails_due(now: dt.datetime | None = None) -> list[int]:
    """Ids of the e-mails whose next attempt is due."""
    now = now or timezone.now()
    return list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.RETRYING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )


def email_retry_now(*, email: OutgoingEmail) -> None:
    """An operator's retry of a failed e-mail: one more attempt, queued at once."""
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk, status=OutgoingEmail.Status.FAILED).update(
            status=OutgoingEmail.Status.RETRYING, next_attempt_at=timezone.now()
        )
        transaction.on_commit(_enqueue_one(email.pk))


# ---------------------------------------------------------------- the tasks
# Defined here, beside what they run, so that queueing and sending need no import of each other.
@task()
def email_send(email_id: int) -> str:
    return email_deliver(email_id)


@task()
def emails_dispatch(email_ids: list[int]) -> int:
    """Queue one task per e-mail of a batch, so each is sent and retried on its own."""
    for email_id in email_ids:
        email_send.enqueue(email_id)
    return len(email_ids)


@periodic(every=dt.timedelta(minutes=5))
@task()
def emails_retry_due() -> int:
    due = emails_due()
    for email_id in due:
        email_send.enqueue(email_id)
    return len(due)
