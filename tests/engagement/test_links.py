"""The mailed link: one answer to one check of one member, expiring, signing nobody in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from tandem.engagement import policies
from tandem.engagement.models import ContactCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(cast) -> ContactCheck:
    return ContactCheck.objects.create(partnership=cast.partnership, member=cast.alice, day=7)


def link(token: str) -> str:
    return reverse("engagement:link", args=[token])


def test_the_link_records_its_answer_without_signing_anyone_in(client, check):
    response = client.post(link(policies.check_token(check)), {"answer": "not_yet"})
    assert response.status_code == 200
    check.refresh_from_db()
    assert check.answer == "not_yet"
    assert "_auth_user_id" not in client.session
    # The next page asks for sign-in: the link opened nothing else.
    assert (
        client.get(reverse("engagement:partnership", args=[check.partnership_id])).status_code
        == 302
    )
    assert client.get(reverse("workspace:home", args=[check.partnership_id])).status_code == 302


def test_a_tampered_link_fails_with_a_clear_page_and_records_nothing(client, check):
    token = policies.check_token(check)
    body, _, signature = token.rpartition(":")
    for forged in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        f"{body}:{signature[::-1]}",
        "not-a-real-token",
    ):
        response = client.post(link(forged), {"answer": "yes"})
        assert response.status_code == 404
        assert b"This link does not work" in response.content
    check.refresh_from_db()
    assert check.answer == ""


def test_a_link_signed_for_another_purpose_or_another_check_fails(client, cast, check):
    bobs = ContactCheck.objects.create(partnership=cast.partnership, member=cast.bob, day=7)
    scope = {"check": bobs.pk, "member": cast.alice.pk, "partnership": cast.partnership.pk}
    # alice's scope pointed at bob's check, and a correct scope under another salt: both refused
    for token in (
        signing.dumps(scope, salt=policies.SIGNING_SCOPE),
        signing.dumps(
            {"check": check.pk, "member": cast.alice.pk, "partnership": cast.partnership.pk},
            salt="tandem.something-else",
        ),
    ):
        assert client.post(link(token), {"answer": "yes"}).status_code == 404
    bobs.refresh_from_db()
    assert bobs.answer == ""


def test_the_link_answers_only_its_own_members_check_whoever_is_signed_in(client_for, cast, check):
    """bob, signed in, following alice's link answers alice's check, never his own."""
    bobs = ContactCheck.objects.create(partnership=cast.partnership, member=cast.bob, day=7)
    client_for(cast.bob).post(link(policies.check_token(check)), {"answer": "problem"})
    check.refresh_from_db()
    bobs.refresh_from_db()
    assert (check.answer, bobs.answer) == ("problem", "")


def test_a_link_expires_after_two_weeks(client, check):
    token = policies.check_token(check)
    with time_machine.travel(dt.timedelta(days=13)):
        assert client.get(link(token)).status_code == 200
    with time_machine.travel(dt.timedelta(days=15)):
        response = client.post(link(token), {"answer": "yes"})
        assert response.status_code == 404
    check.refresh_from_db()
    assert check.answer == ""


def test_the_link_refuses_an_answer_outside_the_three(client, check):
    response = client.post(link(policies.check_token(check)), {"answer": "delete"})
    assert response.status_code == 200  # the question again
    check.refresh_from_db()
    assert check.answer == ""
