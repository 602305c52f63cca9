"""A change to how a person signs in ends every credential a thief could hold.

Each test plays it end to end: the thief holds an API token and a second signed-in session
(another test client, as a copied session cookie would be); the owner changes their password,
resets it, adds or removes a second factor, or links an institutional sign-in. Afterwards the
token and the other session are refused, while the session that made the change survives
where it still makes sense (a changed password signs every session out, by design).
"""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from tandem.accounts.models import ApiToken
from tandem.accounts.services import api_token_create
from tandem.identity.services import sso_add_oidc
from tests.factories import PASSWORD
from tests.identity.test_mfa import enrol_totp, sign_in, totp_now

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase"
# allauth announces a new second factor once its transaction commits: these tests commit.
on_commit = pytest.mark.django_db(transaction=True)


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:api_tokens")).status_code == 200


def token_works(secret: str) -> bool:
    return (
        Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/v1/me").status_code == 200
    )


@pytest.fixture
def thief(cast):
    """What someone holding alice's credentials has: two tokens and a second session."""
    secrets = [
        api_token_create(user=cast.alice, name=name, scope=scope)[1]
        for name, scope in (("read", ApiToken.Scope.READ), ("write", ApiToken.Scope.READ_WRITE))
    ]
    other_session = sign_in("alice@example.org")
    assert signed_in(other_session)
    assert all(token_works(secret) for secret in secrets)
    return other_session, secrets


def assert_thief_locked_out(thief) -> None:
    other_session, secrets = thief
    assert not signed_in(other_session)
    assert not any(token_works(secret) for secret in secrets)
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()


def test_changing_the_password_ends_every_token_and_session(cast, thief):
    owner = sign_in("alice@example.org")
    response = owner.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert_thief_locked_out(thief)
    assert not signed_in(owner)  # the owner signs in again with the new password
    assert signed_in(sign_in_with("alice@example.org", NEW_PASSWORD))


def sign_in_with(email: str, password: str) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": password})
    return client


def test_resetting_the_password_ends_every_token_and_session(
    cast, thief, mailoutbox, django_capture_on_commit_callbacks
):
    owner = Client()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    assert link is not None
    form_url = owner.get(link.group(1))["Location"]
    response = owner.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert_thief_locked_out(thief)


@on_commit
def test_adding_a_second_factor_ends_the_other_sessions_and_tokens_but_not_this_one(cast, thief):
    owner = sign_in("alice@example.org")
    enrol_totp(owner)
    assert_thief_locked_out(thief)
    assert signed_in(owner)


def test_removing_the_second_factor_ends_the_other_sessions_and_tokens_but_not_this_one(cast):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(cast.alice, secret)

    def sign_in_with_code() -> Client:
        client = sign_in("alice@example.org")
        assert (
            client.post(reverse("mfa_authenticate"), {"code": totp_now(secret)}).status_code == 302
        )
        return client

    other_session = sign_in_with_code()
    from django.core.cache import cache

    cache.clear()  # the same code may be used once only; a new sign-in needs a fresh window
    owner = sign_in_with_code()
    _, token = api_token_create(user=cast.alice, name="script")
    assert signed_in(other_session)
    assert token_works(token)

    owner.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = owner.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=cast.alice, type="totp").exists()
    assert_thief_locked_out(((other_session), [token]))
    assert signed_in(owner)


def test_linking_an_institutional_sign_in_ends_the_other_sessions_and_tokens(cast, thief):
    sso_add_oidc(
        provider_id="riverside",
        name="Riverside University",
        server_url="https://id.riverside.example",
        client_id="tandem",
        secret="s3cret",
        domains=["example.org"],
    )
    owner = sign_in("alice@example.org")
    # allauth's own connect step, as its institutional sign-in flow runs it for this session.
    request = RequestFactory().get("/accounts/oidc/riverside/login/callback/")
    request.session = SessionStore(owner.session.session_key)
    request.user = cast.alice
    account = SocialAccount(provider="riverside", uid="alice-at-riverside")
    SocialLogin(user=cast.alice, account=account).connect(request, cast.alice)
    request.session.save()
    owner.cookies["sessionid"] = request.session.session_key

    assert SocialAccount.objects.filter(user=cast.alice).exists()
    assert_thief_locked_out(thief)
    assert signed_in(owner)


@on_commit
def test_a_session_signed_in_before_the_change_is_refused_even_on_the_api(cast, thief):
    other_session, _ = thief
    owner = sign_in("alice@example.org")
    enrol_totp(owner)
    assert other_session.get("/api/v1/me").status_code == 401
    assert owner.get("/api/v1/me").status_code == 200


@on_commit
def test_other_peoples_credentials_are_untouched(cast, thief):
    _, bobs = api_token_create(user=cast.bob, name="bob")
    bob = sign_in("bob@example.org")
    enrol_totp(sign_in("alice@example.org"))
    assert not token_works(thief[1][0])
    assert token_works(bobs)
    assert signed_in(bob)
