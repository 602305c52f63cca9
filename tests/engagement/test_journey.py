"""A partnership walked through day 7, 14, 21 and 35 on a travelling clock, once per answer
path: the mail each member gets, their home page, the coordinator's at-risk list and the
rematch pool."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.engagement.models import ContactCheck, Escalation
from tandem.engagement.services import engagement_run
from tandem.partnerships.models import Partnership
from tandem.rounds.selectors import rematch_pool
from tandem.workspace.models import Meeting
from tests.engagement.helpers import links_in, mails_to, page, run_on_day, start_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(cast, django_capture_on_commit_callbacks):
    """(day -> run the job on that day), starting from the cast partnership's first day."""
    start = start_of(cast)
    with time_machine.travel(start, tick=False) as traveller:
        yield lambda day: run_on_day(traveller, start, day, django_capture_on_commit_callbacks)


def home(client_for, user) -> str:
    return client_for(user).get(reverse("home")).content.decode()


def at_risk_list(client_for, cast) -> str:
    response = client_for(cast.coord).get(reverse("engagement:at_risk", args=["riverside"]))
    assert response.status_code == 200
    return response.content.decode()


def answer_by_link(client, message, answer: str) -> str:
    path = links_in(message)[answer]
    assert client.get(path, {"answer": answer}).status_code == 200
    response = client.post(path, {"answer": answer})
    assert response.status_code == 200
    return response.content.decode()


def pool_of(cast) -> dict[str, tuple[str, bool]]:
    return {e.user.email: (e.reason, e.priority) for e in rematch_pool(cast.cohort)}


def test_a_yes_on_day_7_ends_the_questions_and_nothing_escalates(cast, walk, client, client_for):
    walk(3)
    assert mail.outbox == []
    walk(7)
    assert [m.subject for m in mails_to("alice@example.org")] == ["Have you met Bob yet?"]
    assert len(mails_to("bob@example.org")) == 1
    assert set(links_in(mails_to("alice@example.org")[0])) == {"yes", "not_yet", "problem"}
    walk(7)  # the job runs again the same day: nobody is asked twice
    assert len(mail.outbox) == 2
    assert "Have you met Bob yet?" in home(client_for, cast.alice)

    done = answer_by_link(client, mails_to("alice@example.org")[0], "yes")
    assert "Yes, we have met" in done
    assert "Sign in to see them" not in done

    walk(14)
    assert len(mail.outbox) == 2  # under way: no day-14 question
    assert "Have you met Bob yet?" not in home(client_for, cast.bob)
    assert "Under way" in client_for(cast.bob).get(page(cast.partnership)).content.decode()
    for day in (21, 35):
        result = walk(day)
        assert (result.at_risk, result.rematch_offered) == (0, 0)
    assert len(mail.outbox) == 2
    assert "No partnership is at risk" in at_risk_list(client_for, cast)
    assert "alice@example.org" not in pool_of(cast)


def test_not_yet_twice_offers_help_then_the_partnership_is_at_risk_and_offered_a_rematch(
    cast, walk, client, client_for, django_capture_on_commit_callbacks
):
    walk(7)
    answer_by_link(client, mails_to("alice@example.org")[0], "not_yet")
    assert (
        "Help to get started"
        not in client_for(cast.alice).get(page(cast.partnership)).content.decode()
    )

    walk(14)
    assert len(mails_to("alice@example.org")) == 2
    response = client_for(cast.alice).post(
        reverse("engagement:answer", args=[cast.partnership.pk]), {"answer": "not_yet"}
    )
    assert response.status_code == 302
    mine = client_for(cast.alice).get(page(cast.partnership)).content.decode()
    assert "Help to get started" in mine
    assert reverse("engagement:nudge", args=[cast.partnership.pk]) in mine
    assert reverse("engagement:rematch", args=[cast.partnership.pk]) in mine
    # bob never answered: no help, no rematch for him yet
    bobs = client_for(cast.bob).get(page(cast.partnership)).content.decode()
    assert "Help to get started" not in bobs
    assert "Help to meet Bob" in home(client_for, cast.alice)

    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.alice).post(reverse("engagement:nudge", args=[cast.partnership.pk]))
    nudges = [m for m in mails_to("bob@example.org") if "first meeting" in m.subject]
    assert len(nudges) == 1
    assert "not yet" not in nudges[0].body.lower()
    assert "asked" not in nudges[0].body.lower()
    client_for(cast.alice).post(
        reverse("engagement:nudge", args=[cast.partnership.pk])
    )  # once per check
    assert len([m for m in mails_to("bob@example.org") if "first meeting" in m.subject]) == 1

    before = len(mail.outbox)
    walk(20)
    assert len(mail.outbox) == before
    assert f"#{cast.partnership.pk}" not in at_risk_list(client_for, cast)
    result = walk(21)
    assert result.at_risk == 1
    assert {(m.to[0], m.subject) for m in mail.outbox[before:]} == {
        ("alice@example.org", "Your partnership with Bob has not started yet"),
        ("bob@example.org", "Your partnership with Alice has not started yet"),
    }
    listing = at_risk_list(client_for, cast)
    assert f"#{cast.partnership.pk}" in listing
    assert "Alice" in listing
    assert ">21<" in listing
    assert ">never<" in listing
    assert walk(21).at_risk == 0  # idempotent
    assert len(mail.outbox) == before + 2
    assert "At risk" in client_for(cast.bob).get(page(cast.partnership)).content.decode()

    result = walk(35)
    assert result.rematch_offered == 1
    assert {m.subject for m in mail.outbox[before + 2 :]} == {"A no-fault rematch is open to you"}
    assert "Rematch offered" in at_risk_list(client_for, cast)
    bobs = client_for(cast.bob).get(page(cast.partnership)).content.decode()
    assert reverse("engagement:rematch", args=[cast.partnership.pk]) in bobs

    confirm = client_for(cast.bob).get(reverse("engagement:rematch", args=[cast.partnership.pk]))
    assert b"End the partnership and rematch" in confirm.content
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client_for(cast.bob)
            .post(reverse("engagement:rematch", args=[cast.partnership.pk]))
            .status_code
            == 302
        )
    cast.partnership.refresh_from_db()
    assert cast.partnership.status == Partnership.Status.EXITED
    assert mails_to("alice@example.org")[-1].subject == "Your Tandem partnership has ended"
    pool = pool_of(cast)
    assert pool["alice@example.org"] == ("no-fault rematch", True)
    assert pool["bob@example.org"] == ("no-fault rematch", True)
    assert [e.user.email for e in rematch_pool(cast.cohort)][:2] == [
        "alice@example.org",
        "bob@example.org",
    ]
    assert "No partnership is at risk" in at_risk_list(client_for, cast)


def test_a_problem_on_day_7_offers_the_rematch_at_once(cast, walk, client, client_for):
    walk(7)
    done = answer_by_link(client, mails_to("bob@example.org")[0], "problem")
    assert "Sign in to see them" in done
    assert "_auth_user_id" not in client.session  # the link signed nobody in
    bobs = client_for(cast.bob).get(page(cast.partnership)).content.decode()
    assert "Help to get started" in bobs
    assert reverse("engagement:rematch", args=[cast.partnership.pk]) in bobs
    assert "Help to meet Alice" in home(client_for, cast.bob)
    # alice said nothing: she still sees the plain question
    assert "Have you met Bob yet?" in home(client_for, cast.alice)

    response = client_for(cast.bob).post(reverse("engagement:rematch", args=[cast.partnership.pk]))
    assert response.status_code == 302
    assert pool_of(cast)["bob@example.org"] == ("no-fault rematch", True)
    assert walk(21).at_risk == 0  # an ended partnership is not escalated
    assert walk(35).rematch_offered == 0


def test_a_meeting_logged_after_day_21_rescues_the_partnership(cast, walk, client_for):
    walk(7)
    walk(14)
    assert walk(21).at_risk == 1
    Meeting.objects.create(
        partnership=cast.partnership,
        number=1,
        starts_at=cast.partnership.activated_at + dt.timedelta(days=22),
        status=Meeting.Status.HELD,
    )
    assert walk(23).rescued == 1
    assert not Escalation.objects.filter(cleared_at=None).exists()
    assert "No partnership is at risk" in at_risk_list(client_for, cast)
    before = len(mail.outbox)
    assert walk(35).rematch_offered == 0
    assert len(mail.outbox) == before
    assert "Under way" in client_for(cast.alice).get(page(cast.partnership)).content.decode()


def test_the_programs_own_rules_move_the_days(cast, walk, client_for):
    coord = client_for(cast.coord)
    url = reverse("engagement:rules", args=["riverside"])
    assert coord.post(url, {"at_risk_day": 28, "rematch_day": 20}).status_code == 422
    assert coord.post(url, {"at_risk_day": 28, "rematch_day": 42}).status_code == 302
    walk(7)
    walk(14)
    assert walk(21).at_risk == 0
    assert ContactCheck.objects.filter(day=14).count() == 2
    assert walk(28).at_risk == 1
    assert walk(35).rematch_offered == 0
    assert walk(42).rematch_offered == 1


def test_a_late_start_is_not_asked_old_questions(cast, walk):
    """A partnership already past day 14 when the job first runs gets no day-7 question."""
    walk(16)
    assert ContactCheck.objects.filter(day=7).count() == 0
    assert ContactCheck.objects.filter(day=14).count() == 2


def test_past_the_latest_rule_day_only_an_open_escalation_is_looked_at(cast):
    """A partnership older than any rule is not escalated late; an open mark is still cleared."""
    old = timezone.now() - dt.timedelta(days=400)
    Partnership.objects.filter(pk=cast.partnership.pk).update(activated_at=old)
    assert engagement_run().at_risk == 0
    assert not Escalation.objects.exists()
    Escalation.objects.create(partnership=cast.partnership, level=Escalation.Level.AT_RISK)
    Meeting.objects.create(
        partnership=cast.partnership, number=1, starts_at=timezone.now(), status="held"
    )
    assert engagement_run().rescued == 1
