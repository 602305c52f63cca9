"""Publishing a cohort returns at once: the request queues one task that writes the e-mails
(each then sent by its own task); it renders and sends nothing, whatever the cohort's size."""

from __future__ import annotations

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core.models import OutgoingEmail
from tandem.rounds import services
from tests import factories
from tests.rounds.conftest import enrol


def _publish(cast, size: int, *, notify: bool, start: int, capture):
    cohort = factories.CohortFactory(program=cast.program, slug=f"c{start}", name=f"Cohort {start}")
    enrol(cohort, size, start=start)
    run = services.match_run_start(cohort=cohort, created_by=cast.coord)
    with capture(execute=False) as callbacks, CaptureQueriesContext(connection) as queries:
        created = services.match_run_publish(run=run, by=cast.coord, notify=notify)
    assert len(created) == size // 2
    return len(queries), callbacks


def _email_cost(cast, size: int, start: int, capture) -> tuple[int, list]:
    """Queries the e-mails add to publishing a cohort of ``size``, and the commit callbacks."""
    quiet, quiet_callbacks = _publish(cast, size, notify=False, start=start, capture=capture)
    loud, loud_callbacks = _publish(cast, size, notify=True, start=start + size, capture=capture)
    assert len(loud_callbacks) == len(quiet_callbacks) + 1  # one task writes them all
    return loud - quiet, loud_callbacks


def test_publishing_sends_nothing_in_the_request_and_emails_cost_a_fixed_number_of_queries(
    cast, django_capture_on_commit_callbacks
):
    small, _ = _email_cost(cast, 10, 0, django_capture_on_commit_callbacks)
    large, callbacks = _email_cost(cast, 60, 100, django_capture_on_commit_callbacks)
    # The request only queues the task that writes the e-mails, whatever the cohort's size.
    assert small == large == 0
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the commit, then the worker
        for callback in callbacks:
            callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"peer{k}@example.org" for k in range(160, 220)
    )
    assert not OutgoingEmail.objects.exists()  # each was sent by its own task, then dropped
