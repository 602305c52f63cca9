"""The e-mail tasks: one per e-mail, the fan-out of a batch, and the retries that are due."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from tandem.core import mail
from tandem.core.periodic import periodic


@task()
def email_send(email_id: int) -> str:
    return mail.email_deliver(email_id)


@task()
def emails_dispatch(email_ids: list[int]) -> int:
    """Queue one task per e-mail of a batch, so each is sent and retried on its own."""
    for email_id in email_ids:
        email_send.enqueue(email_id)
    return len(email_ids)


@periodic(every=dt.timedelta(minutes=5))
@task()
def emails_retry_due() -> int:
    due = mail.emails_due()
    for email_id in due:
        email_send.enqueue(email_id)
    return len(due)
