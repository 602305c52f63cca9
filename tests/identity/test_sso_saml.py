"""Institutional sign-in with SAML 2.0, end to end against a real identity provider.

The provider is pysaml2's IdP in a thread on 127.0.0.1, with its own self-signed
certificate; it reads Tandem's AuthnRequest, shows its sign-in form, and posts back an
assertion it signs with xmlsec. Tandem (allauth with python3-saml) checks the signature.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.identity import services
from tests.identity.forms_http import submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("xmlsec1") is None,
        reason="the test IdP signs with xmlsec1 (Debian package xmlsec1; .ci/run installs it)",
    ),
]

PASSWORD = "institution password 42"
PEOPLE = {
    "alice@example.org": {"first_name": "Alice", "last_name": "Adams", "uid": "aadams"},
    "newcomer@riverside.edu": {"first_name": "Nia", "last_name": "New", "uid": "nnew"},
    "stranger@example.org": {"first_name": "Stan", "last_name": "Ger", "uid": "sger"},
    "olga@example.org": {"first_name": "Olga", "last_name": "Operator", "uid": "oop"},
    "mallory@elsewhere.net": {"first_name": "Mal", "last_name": "Lory", "uid": "mlory"},
}


@pytest.fixture
def identity_provider(live_server, tmp_path) -> Iterator[object]:
    from tests.identity.saml_provider import SamlIdentityProvider

    people = {email: {**person, "password": PASSWORD} for email, person in PEOPLE.items()}
    provider = SamlIdentityProvider(tmp_path, people)
    services.sso_add_saml(
        provider_id="riverside-saml",
        name="Riverside University (SAML)",
        entity_id=provider.entity_id,
        sso_url=provider.sso_url,
        x509cert=provider.certificate_pem,
        domains=["riverside.edu", "example.org"],
        auto_signup_domains=["riverside.edu"],
    )
    metadata = requests.get(f"{live_server.url}/accounts/saml/riverside-saml/metadata/", timeout=30)
    assert metadata.status_code == 200
    provider.trust(metadata.text)
    provider.start()
    yield provider
    provider.stop()


def sign_in(live_server, email: str, password: str = PASSWORD):
    browser = requests.Session()
    login_page = browser.get(f"{live_server.url}/accounts/login/", timeout=30)
    assert "Riverside University (SAML)" in login_page.text
    confirm = browser.get(f"{live_server.url}/accounts/saml/riverside-saml/login/", timeout=30)
    idp_form = submit(browser, confirm)
    assert "Institution sign-in" in idp_form.text, idp_form.text[:300]
    assertion_page = submit(browser, idp_form, {"email": email, "password": password})
    if assertion_page.status_code != 200:
        return browser, assertion_page
    return browser, submit(browser, assertion_page, having="SAMLResponse")


def signed_in_as(browser: requests.Session, live_server) -> str | None:
    answer = browser.get(f"{live_server.url}/api/v1/me", timeout=30)
    return answer.json()["email"] if answer.status_code == 200 else None


@pytest.mark.parametrize("email", ["alice@example.org", "olga@example.org"])
def test_an_assertion_of_an_existing_accounts_address_does_not_open_it(
    cast, live_server, identity_provider, email
):
    browser, page = sign_in(live_server, email)
    assert "already has a Tandem account" in page.text
    assert signed_in_as(browser, live_server) is None
    assert not SocialAccount.objects.exists()


def test_an_assertion_outside_the_institutions_domains_is_refused(
    cast, live_server, identity_provider
):
    browser, page = sign_in(live_server, "mallory@elsewhere.net")
    assert page.status_code == 403
    assert "cannot sign you in here" in page.text
    assert signed_in_as(browser, live_server) is None
    assert not User.objects.filter(email="mallory@elsewhere.net").exists()


def test_linking_with_saml_after_a_link_mailed_to_the_address(
    cast, live_server, identity_provider, mailoutbox
):
    browser, page = sign_in(live_server, "alice@example.org")
    sent = submit(browser, page)
    assert "Check your email" in sent.text
    link = re.search(r"http://[^/]+(/account/institution/link/\S+/)", mailoutbox[-1].body).group(1)
    submit(browser, browser.get(f"{live_server.url}{link}", timeout=30))
    assert SocialAccount.objects.get(user=cast.alice).provider == "riverside-saml"
    linked = AuditEvent.objects.get(action=AuditEvent.Action.SSO_LINKED, actor=cast.alice)
    assert linked.detail == {"provider": "riverside-saml", "proof": "email link"}
    again, landing = sign_in(live_server, "alice@example.org")
    assert landing.url == f"{live_server.url}/"
    assert signed_in_as(again, live_server) == "alice@example.org"


def test_a_person_of_an_auto_signup_domain_gets_an_account(cast, live_server, identity_provider):
    browser, _ = sign_in(live_server, "newcomer@riverside.edu")
    assert signed_in_as(browser, live_server) == "newcomer@riverside.edu"
    assert User.objects.get(email="newcomer@riverside.edu").full_name == "Nia New"


def test_an_unknown_person_is_asked_to_see_their_coordinator(cast, live_server, identity_provider):
    browser, page = sign_in(live_server, "stranger@example.org")
    assert "Sign-up is by invitation" in page.text
    assert signed_in_as(browser, live_server) is None


def test_a_tampered_assertion_is_refused(cast, live_server, identity_provider):
    import base64

    browser = requests.Session()
    confirm = browser.get(f"{live_server.url}/accounts/saml/riverside-saml/login/", timeout=30)
    idp_form = submit(browser, confirm)
    assertion_page = submit(
        browser, idp_form, {"email": "stranger@example.org", "password": PASSWORD}
    )
    # Swap the signed address for another person's: the signature no longer matches.
    start = assertion_page.text.index('name="SAMLResponse" value="') + len(
        'name="SAMLResponse" value="'
    )
    end = assertion_page.text.index('"', start)
    xml = base64.b64decode(assertion_page.text[start:end]).decode()
    forged = base64.b64encode(xml.replace("stranger@example.org", "alice@example.org").encode())
    page = submit(browser, assertion_page, {"SAMLResponse": forged.decode()}, having="SAMLResponse")
    assert signed_in_as(browser, live_server) is None
    assert not SocialAccount.objects.exists()
    assert page.status_code == 401
