"""Brute force: lockout by address *and* account, the same answer for known and unknown
accounts, and rate limits on password reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "not the password at all"


def attempt(email: str, password: str, *, address: str = "203.0.113.7", client=None):
    client = client or Client(REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:api_tokens")).status_code == 200


def fail_until_locked(email: str, address: str = "203.0.113.7") -> None:
    for _ in range(5):
        attempt(email, WRONG, address=address)


def test_five_failures_lock_that_account_at_that_address(cast):
    fail_until_locked("alice@example.org")
    client, response = attempt("alice@example.org", PASSWORD)
    assert response.status_code == 429
    assert b"Sign-in paused" in response.content
    assert not signed_in(client)


def test_four_failures_do_not_lock(cast):
    for _ in range(4):
        attempt("alice@example.org", WRONG)
    client, response = attempt("alice@example.org", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_same_account_signs_in_from_another_address(cast):
    fail_until_locked("alice@example.org", address="203.0.113.7")
    client, response = attempt("alice@example.org", PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert signed_in(client)


def test_another_account_signs_in_from_the_locked_address(cast):
    fail_until_locked("alice@example.org", address="203.0.113.7")
    client, response = attempt("bob@example.org", PASSWORD, address="203.0.113.7")
    assert response.status_code == 302
    assert signed_in(client)


def test_the_address_is_matched_whatever_its_case(cast):
    for _ in range(5):
        attempt("Alice@Example.org", WRONG)
    _, response = attempt("alice@example.org", PASSWORD)
    assert response.status_code == 429


def test_unknown_accounts_lock_exactly_like_known_ones(cast):
    known = [attempt("alice@example.org", WRONG, address="192.0.2.10")[1] for _ in range(6)]
    unknown = [attempt("nobody@example.org", WRONG, address="192.0.2.11")[1] for _ in range(6)]
    assert [r.content for r in known[-2:]] == [r.content for r in unknown[-2:]]
    known = [response.status_code for response in known]
    unknown = [response.status_code for response in unknown]
    assert known == unknown
    assert known[-1] == 429


def _normalised(response, typed_email: str) -> str:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    return body.replace(typed_email, "EMAIL")


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(cast):
    _, known = attempt("alice@example.org", WRONG, address="192.0.2.1")
    _, unknown = attempt("nobody@example.org", WRONG, address="192.0.2.2")
    assert known.status_code == unknown.status_code == 200
    assert _normalised(known, "alice@example.org") == _normalised(unknown, "nobody@example.org")


def test_unknown_accounts_cost_the_same_hashing_as_known_ones(cast, monkeypatch, settings):
    """A dummy hash runs when no account matches, so timing does not reveal who has one.

    Measured with the production hasher (scrypt), counting its expensive steps.
    """
    from django.contrib.auth.hashers import ScryptPasswordHasher

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher"]
    cast.alice.set_password(PASSWORD)
    cast.alice.save()
    work: list[str] = []
    derive = ScryptPasswordHasher.encode

    def counting_encode(self, *args, **kwargs):
        work.append("scrypt")
        return derive(self, *args, **kwargs)

    # verify() derives the key through encode(), so this counts every scrypt run.
    monkeypatch.setattr(ScryptPasswordHasher, "encode", counting_encode)
    attempt("nobody@example.org", WRONG, address="192.0.2.3")
    unknown_work = len(work)
    work.clear()
    attempt("alice@example.org", WRONG, address="192.0.2.4")
    known_work = len(work)
    assert unknown_work == known_work >= 1


def test_password_reset_answers_known_and_unknown_addresses_alike(
    cast, django_capture_on_commit_callbacks
):
    url = reverse("account_reset_password")
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends what is queued
        known = Client(REMOTE_ADDR="192.0.2.5").post(url, {"email": "alice@example.org"})
        unknown = Client(REMOTE_ADDR="192.0.2.6").post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Each address gets one email: a link for the account, a notice for the unknown one.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alice@example.org",
        "nobody@example.org",
    ]


def test_password_reset_is_rate_limited_per_address(cast, django_capture_on_commit_callbacks):
    url = reverse("account_reset_password")
    client = Client(REMOTE_ADDR="192.0.2.7")
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends what is queued
        answers = [client.post(url, {"email": "alice@example.org"}).status_code for _ in range(7)]
    assert answers[:5] == [302] * 5
    assert 429 in answers[5:]
    assert len(mail.outbox) == 5
