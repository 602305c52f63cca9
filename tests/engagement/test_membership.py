"""Membership states decide who is asked and who may answer: only accepted, current members.

The attacks go through the real pages: a member who left, a partnership that ended and a
member who declined try their old links, the first-contact page and its buttons.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.engagement import policies
from tandem.engagement.models import ContactCheck
from tandem.engagement.services import engagement_run
from tandem.partnerships.models import Partnership, PartnershipMember
from tests import factories
from tests.engagement.helpers import links_in, mails_to, run_on_day, start_of
from tests.workspace.factories import sign_agreement

pytestmark = pytest.mark.django_db
Response = PartnershipMember.Response


def seat(cast, email: str, response: str, is_current: bool) -> PartnershipMember:
    user = factories.participant(cast.cohort, email=email)
    return PartnershipMember.objects.create(
        partnership=cast.partnership,
        user=user,
        cohort=cast.cohort,
        response=response,
        is_current=is_current,
        left_at=None if is_current else timezone.now(),
    )


def test_only_accepted_current_members_are_asked_and_escalated(
    cast, django_capture_on_commit_callbacks
):
    seat(cast, "pat@example.org", Response.PENDING, True)  # proposed
    seat(cast, "dan@example.org", Response.DECLINED, False)  # declined
    seat(cast, "lee@example.org", Response.PENDING, False)  # lapsed
    seat(cast, "eve@example.org", Response.ACCEPTED, False)  # exited
    start = start_of(cast)
    with time_machine.travel(start, tick=False) as traveller:
        for day in (7, 14, 21, 35):
            run_on_day(traveller, start, day, django_capture_on_commit_callbacks)
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "bob@example.org"}
    assert set(ContactCheck.objects.values_list("member__email", flat=True)) == {
        "alice@example.org",
        "bob@example.org",
    }


def test_a_member_who_left_cannot_answer_or_see_the_status_through_any_page(
    cast, client_for, django_capture_on_commit_callbacks
):
    eve = seat(cast, "eve@example.org", Response.ACCEPTED, True)
    start = start_of(cast)
    with time_machine.travel(start, tick=False) as traveller:
        run_on_day(traveller, start, 7, django_capture_on_commit_callbacks)
        link = links_in(mails_to("eve@example.org")[0])["yes"]
        PartnershipMember.objects.filter(pk=eve.pk).update(is_current=False, left_at=timezone.now())
        attacker = client_for(eve.user)
        args = [cast.partnership.pk]
        response = attacker.post(link, {"answer": "yes"})
        assert response.status_code == 404
        assert b"This link does not work" in response.content
        assert attacker.get(reverse("engagement:partnership", args=args)).status_code == 404
        for name in ("answer", "nudge", "rematch"):
            url = reverse(f"engagement:{name}", args=args)
            assert attacker.post(url, {"answer": "yes"}).status_code == 404
        assert attacker.get(reverse("workspace:home", args=args)).status_code == 404
        home = attacker.get(reverse("home")).content.decode()
        assert reverse("engagement:partnership", args=args) not in home
        # The partners see a partnership still waiting for its first contact.
        alices = client_for(cast.alice).get(reverse("engagement:partnership", args=args))
        assert b"Getting started" in alices.content
    assert not ContactCheck.objects.filter(answer="yes").exists()
    assert Partnership.objects.get(pk=cast.partnership.pk).status == Partnership.Status.ACTIVE


def test_after_an_exit_through_the_workspace_old_links_and_pages_fail_for_everyone(
    cast, client_for, django_capture_on_commit_callbacks
):
    sign_agreement(cast.partnership)
    start = start_of(cast)
    with time_machine.travel(start, tick=False) as traveller:
        run_on_day(traveller, start, 7, django_capture_on_commit_callbacks)
        bobs_link = links_in(mails_to("bob@example.org")[0])["not_yet"]
        exit_url = reverse("workspace:exit", args=[cast.partnership.pk])
        assert client_for(cast.alice).post(exit_url).status_code == 302
        for user in (cast.alice, cast.bob):
            response = client_for(user).post(bobs_link, {"answer": "not_yet"})
            assert response.status_code == 404
            page = reverse("engagement:partnership", args=[cast.partnership.pk])
            assert client_for(user).get(page).status_code == 404
        run_on_day(traveller, start, 21, django_capture_on_commit_callbacks)
        run_on_day(traveller, start, 35, django_capture_on_commit_callbacks)
    assert not ContactCheck.objects.exclude(answer="").exists()
    subjects = {m.subject for m in mail.outbox}
    assert "A no-fault rematch is open to you" not in subjects
    assert not any("has not started yet" in subject for subject in subjects)


def test_a_member_who_declined_a_proposal_gets_no_question_and_no_page(
    cast, client_for, django_capture_on_commit_callbacks
):
    nia = factories.participant(cast.cohort, email="nia@example.org")
    proposal = factories.partnership(cast.cohort, [cast.carol, nia], status="proposed")
    decline = reverse("rounds:proposal_decline", args=[proposal.pk])
    assert client_for(cast.carol).post(decline).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Partnership.Status.DECLINED
    # Even a link made for carol while (hypothetically) seated fails now.
    check = ContactCheck.objects.create(partnership=proposal, member=cast.carol, day=7)
    link = reverse("engagement:link", args=[policies.check_token(check)])
    assert client_for(cast.carol).post(link, {"answer": "yes"}).status_code == 404
    for user in (cast.carol, nia):
        page = reverse("engagement:partnership", args=[proposal.pk])
        assert client_for(user).get(page).status_code == 404
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=7)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        engagement_run()
    assert mails_to("carol@example.org") == []
    assert mails_to("nia@example.org") == []
