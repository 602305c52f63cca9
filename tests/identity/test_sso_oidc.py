"""Institutional sign-in with OpenID Connect, end to end against a real provider.

The provider is allauth's OIDC identity provider, started in its own process on 127.0.0.1;
the test walks the whole flow over HTTP — Tandem's sign-in page, the provider's own sign-in
and consent forms, and back — exactly as a browser without JavaScript would.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.identity import services
from tandem.programs import services as program_services
from tests.factories import PASSWORD
from tests.identity.forms_http import submit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "tandem-test-client", "tandem-test-client-secret"
IDP_PASSWORD = "institution password 42"
PEOPLE = [
    {"email": "alice@example.org", "first_name": "Alice", "last_name": "Adams"},
    {"email": "newcomer@riverside.edu", "first_name": "Nia", "last_name": "New"},
    {"email": "stranger@example.org", "first_name": "Stan", "last_name": "Ger"},
    {"email": "invited@example.org", "first_name": "Ivy", "last_name": "Vited"},
    {"email": "olga@example.org", "first_name": "Olga", "last_name": "Operator"},
    {"email": "mallory@elsewhere.net", "first_name": "Mal", "last_name": "Lory"},
]


def private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def provider(live_server, tmp_path) -> Iterator[str]:
    config = tmp_path / "idp.json"
    config.write_text(
        json.dumps(
            {
                "database": str(tmp_path / "idp.sqlite3"),
                "private_key": private_key_pem(),
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uri": f"{live_server.url}/accounts/oidc/riverside/login/callback/",
                "people": [{**person, "password": IDP_PASSWORD} for person in PEOPLE],
            }
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.identity.oidc_provider", str(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("READY"):
            process.kill()
            raise RuntimeError(f"the OIDC provider did not start: {process.stderr.read()}")
        yield f"http://127.0.0.1:{line.split()[1]}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def institution(provider):
    return services.sso_add_oidc(
        provider_id="riverside",
        name="Riverside University",
        server_url=provider,
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        domains=["riverside.edu", "example.org"],
        auto_signup_domains=["riverside.edu"],
    )


def sign_in_through_institution(
    live_server, institution, email: str
) -> tuple[requests.Session, requests.Response]:
    browser = requests.Session()
    login_page = browser.get(f"{live_server.url}/accounts/login/", timeout=30)
    assert "Riverside University" in login_page.text
    confirm = browser.get(f"{live_server.url}/accounts/oidc/riverside/login/", timeout=30)
    provider_login = submit(browser, confirm)  # Tandem → the provider's sign-in page
    assert provider_login.url.startswith(f"{institution.settings['server_url']}/accounts/login/")
    consent = submit(browser, provider_login, {"login": email, "password": IDP_PASSWORD})
    assert "Authorize" in consent.text, consent.text[:500]
    back_home = submit(browser, consent, button=("action", "grant"), having="request")
    return browser, back_home


def signed_in_as(browser: requests.Session, live_server) -> str | None:
    page = browser.get(f"{live_server.url}/api/v1/me", timeout=30)
    return page.json()["email"] if page.status_code == 200 else None


@pytest.mark.parametrize("email", ["alice@example.org", "olga@example.org"])
def test_an_institution_asserting_an_existing_accounts_address_does_not_open_it(
    cast, live_server, institution, email
):
    browser, page = sign_in_through_institution(live_server, institution, email)
    assert "already has a Tandem account" in page.text
    assert signed_in_as(browser, live_server) is None
    assert not SocialAccount.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).exists()


def test_an_address_outside_the_institutions_domains_is_refused(cast, live_server, institution):
    browser, page = sign_in_through_institution(live_server, institution, "mallory@elsewhere.net")
    assert page.status_code == 403
    assert "cannot sign you in here" in page.text
    assert "riverside.edu" in page.text
    assert signed_in_as(browser, live_server) is None
    assert not User.objects.filter(email="mallory@elsewhere.net").exists()
    refused = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert refused.detail["provider"] == "riverside"


def test_an_invitation_does_not_open_the_door_to_an_address_outside_the_domains(
    cast, live_server, institution
):
    _, token = program_services.invitation_create(
        program=cast.program,
        cohort=cast.cohort,
        email="mallory@elsewhere.net",
        invited_by=cast.coord,
        send=False,
    )
    browser = requests.Session()
    browser.get(f"{live_server.url}/invite/{token}/", timeout=30)
    confirm = browser.get(f"{live_server.url}/accounts/oidc/riverside/login/", timeout=30)
    provider_login = submit(browser, confirm)
    consent = submit(
        browser, provider_login, {"login": "mallory@elsewhere.net", "password": IDP_PASSWORD}
    )
    page = submit(browser, consent, button=("action", "grant"), having="request")
    assert page.status_code == 403
    assert not User.objects.filter(email="mallory@elsewhere.net").exists()


def _grant_at_provider(browser: requests.Session, page: requests.Response, email: str):
    """The provider asks for its password unless its own session is still signed in."""
    if "Authorize" not in page.text:
        page = submit(browser, page, {"login": email, "password": IDP_PASSWORD})
    return submit(browser, page, button=("action", "grant"), having="request")


def test_linking_after_signing_in_with_the_accounts_own_password(cast, live_server, institution):
    browser, page = sign_in_through_institution(live_server, institution, "alice@example.org")
    sign_in_first = re.search(r'href="(/accounts/login/\?next=[^"]+)"', page.text).group(1)
    login_page = browser.get(f"{live_server.url}{html.unescape(sign_in_first)}", timeout=30)
    confirm = submit(
        browser,
        login_page,
        {"login": "alice@example.org", "password": PASSWORD},
        having="password",
    )
    _grant_at_provider(browser, submit(browser, confirm), "alice@example.org")
    assert SocialAccount.objects.get(user=cast.alice).provider == "riverside"
    linked = AuditEvent.objects.get(action=AuditEvent.Action.SSO_LINKED, actor=cast.alice)
    assert linked.detail == {"provider": "riverside", "proof": "signed in"}
    again, landing = sign_in_through_institution(live_server, institution, "alice@example.org")
    assert landing.url == f"{live_server.url}/"
    assert signed_in_as(again, live_server) == "alice@example.org"
    sign_in = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, actor=cast.alice)
    assert sign_in.first().detail == {"method": "institution", "provider": "riverside"}


def _mailed_link(browser, page, mailoutbox, email: str) -> str:
    sent = submit(browser, page)
    assert "Check your email" in sent.text
    (message,) = [m for m in mailoutbox if m.to == [email]]
    return re.search(r"http://[^/]+(/account/institution/link/\S+/)", message.body).group(1)


def test_linking_after_opening_a_link_mailed_to_the_accounts_address(
    cast, live_server, institution, mailoutbox
):
    browser, page = sign_in_through_institution(live_server, institution, "alice@example.org")
    link = _mailed_link(browser, page, mailoutbox, "alice@example.org")
    confirm = browser.get(f"{live_server.url}{link}", timeout=30)
    assert not SocialAccount.objects.exists()  # opening the link alone links nothing
    submit(browser, confirm)
    assert SocialAccount.objects.get(user=cast.alice).provider == "riverside"
    linked = AuditEvent.objects.get(action=AuditEvent.Action.SSO_LINKED, actor=cast.alice)
    assert linked.detail == {"provider": "riverside", "proof": "email link"}
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)  # a proved address keeps its password
    again, _ = sign_in_through_institution(live_server, institution, "alice@example.org")
    assert signed_in_as(again, live_server) == "alice@example.org"


def test_the_mailed_link_links_nothing_in_another_browser(
    cast, live_server, institution, mailoutbox
):
    browser, page = sign_in_through_institution(live_server, institution, "olga@example.org")
    link = _mailed_link(browser, page, mailoutbox, "olga@example.org")
    elsewhere = requests.Session()
    confirm = elsewhere.get(f"{live_server.url}{link}", timeout=30)
    refused = submit(elsewhere, confirm)
    assert refused.status_code == 400
    assert "Nothing was linked" in refused.text
    assert not SocialAccount.objects.exists()


def test_a_person_of_an_auto_signup_domain_gets_an_account(cast, live_server, institution):
    browser, _ = sign_in_through_institution(live_server, institution, "newcomer@riverside.edu")
    assert signed_in_as(browser, live_server) == "newcomer@riverside.edu"
    newcomer = User.objects.get(email="newcomer@riverside.edu")
    assert newcomer.full_name == "Nia New"
    assert not newcomer.has_usable_password()


def test_an_unknown_person_without_an_invitation_is_asked_to_see_their_coordinator(
    cast, live_server, institution
):
    browser, page = sign_in_through_institution(live_server, institution, "stranger@example.org")
    assert "Sign-up is by invitation" in page.text
    assert "program coordinator" in page.text
    assert signed_in_as(browser, live_server) is None
    assert not User.objects.filter(email="stranger@example.org").exists()


def test_an_invited_person_signs_up_through_their_institution_and_joins(
    cast, live_server, institution
):
    _, token = program_services.invitation_create(
        program=cast.program,
        cohort=cast.cohort,
        email="invited@example.org",
        invited_by=cast.coord,
        send=False,
    )
    browser = requests.Session()
    browser.get(f"{live_server.url}/invite/{token}/", timeout=30)  # remembered in the session
    confirm = browser.get(f"{live_server.url}/accounts/oidc/riverside/login/", timeout=30)
    provider_login = submit(browser, confirm)
    consent = submit(
        browser, provider_login, {"login": "invited@example.org", "password": IDP_PASSWORD}
    )
    submit(browser, consent, button=("action", "grant"), having="request")
    assert signed_in_as(browser, live_server) == "invited@example.org"
    invited = User.objects.get(email="invited@example.org")
    assert invited.enrollments.filter(cohort=cast.cohort).exists()


def test_a_wrong_password_at_the_provider_signs_no_one_in(cast, live_server, institution):
    browser = requests.Session()
    confirm = browser.get(f"{live_server.url}/accounts/oidc/riverside/login/", timeout=30)
    provider_login = submit(browser, confirm)
    again = submit(browser, provider_login, {"login": "alice@example.org", "password": "wrong"})
    assert "Authorize" not in again.text
    assert signed_in_as(browser, live_server) is None
    assert not SocialAccount.objects.exists()


def sign_up_by_invitation(live_server, cast, email: str) -> None:
    _, token = program_services.invitation_create(
        program=cast.program, cohort=cast.cohort, email=email, invited_by=cast.coord, send=False
    )
    browser = requests.Session()
    signup = browser.get(f"{live_server.url}/invite/{token}/", timeout=30)
    done = submit(
        browser,
        signup,
        {
            "full_name": "Ivy Vited",
            "email": email,
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
        having="password1",
    )
    assert done.status_code == 200


def test_an_invited_account_keeps_its_password_when_institutional_sign_in_is_linked(
    cast, live_server, institution, mailoutbox
):
    sign_up_by_invitation(live_server, cast, "invited@example.org")
    invited = User.objects.get(email="invited@example.org")
    assert invited.emailaddress_set.get().verified  # the invitation link proved the address
    browser, page = sign_in_through_institution(live_server, institution, "invited@example.org")
    assert signed_in_as(browser, live_server) is None
    link = _mailed_link(browser, page, mailoutbox, "invited@example.org")
    submit(browser, browser.get(f"{live_server.url}{link}", timeout=30))
    invited.refresh_from_db()
    assert invited.has_usable_password()
    assert SocialAccount.objects.filter(user=invited, provider="riverside").exists()


def test_an_account_whose_address_was_never_proved_loses_its_password_when_linked(
    cast, live_server, institution, mailoutbox
):
    """Someone with a join link could register another person's address in advance; when
    the real owner proves the address and links their institution, that password stops
    working."""
    from allauth.account.models import EmailAddress

    squatter = User.objects.create_user(email="stranger@example.org", password="squatter pw")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)
    browser, page = sign_in_through_institution(live_server, institution, "stranger@example.org")
    assert signed_in_as(browser, live_server) is None
    link = _mailed_link(browser, page, mailoutbox, "stranger@example.org")
    submit(browser, browser.get(f"{live_server.url}{link}", timeout=30))
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
    assert EmailAddress.objects.get(user=squatter).verified
    again, _ = sign_in_through_institution(live_server, institution, "stranger@example.org")
    assert signed_in_as(again, live_server) == "stranger@example.org"
