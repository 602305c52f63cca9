"""An identity provider speaks only for its own email domains, matched exactly.

Properties over generated domains and addresses: letter case does not matter; a subdomain,
a trailing dot, a longer domain that merely starts or ends with the configured one, a lookalike
letter or a second @ never pass. The same decisions are checked through the real sign-in
adapter, which refuses with a page, lets a new address through, and sends an existing
account's address to proof instead of signing anyone in.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.accounts.models import User
from tandem.identity import linking, services
from tandem.identity.adapter import InstitutionSocialAccountAdapter
from tandem.identity.domains import email_in_domains

labels = st.from_regex(r"[a-z][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True)
domains = st.builds(
    lambda parts, tld: ".".join([*parts, tld]),
    st.lists(labels, min_size=1, max_size=3),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
locals_ = st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,15}", fullmatch=True)
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "i": "і"}  # Cyrillic


@given(local=locals_, domain=domains, flips=st.lists(st.booleans(), min_size=40, max_size=40))
def test_letter_case_does_not_matter(local, domain, flips):
    shouted = "".join(ch.upper() if flip else ch for ch, flip in zip(domain, flips, strict=False))
    shouted += domain[len(flips) :]
    assert email_in_domains(f"{local}@{shouted}", [domain])
    assert email_in_domains(f"{local}@{domain}", [domain.upper()])


@given(local=locals_, domain=domains, label=labels)
def test_a_subdomain_passes_only_when_listed_itself(local, domain, label):
    address = f"{local}@{label}.{domain}"
    assert not email_in_domains(address, [domain])
    assert email_in_domains(address, [domain, f"{label}.{domain}"])


@given(local=locals_, domain=domains, other=domains, label=labels)
def test_longer_domains_that_merely_contain_it_never_pass(local, domain, other, label):
    for lookalike in (f"{domain}.{other}", f"{label}{domain}", f"{domain}{label}.{other}"):
        if lookalike != domain:
            assert not email_in_domains(f"{local}@{lookalike}", [domain])


@given(local=locals_, domain=domains)
def test_a_trailing_dot_or_a_second_at_sign_never_passes(local, domain):
    assert not email_in_domains(f"{local}@{domain}.", [domain])
    assert not email_in_domains(f"{local}@{domain}@evil.example", [domain])
    assert not email_in_domains(f"{local}@evil.example@{domain}", [domain])
    assert not email_in_domains(f"@{domain}", [domain])
    assert not email_in_domains(f"{local}@", [domain])


@given(local=locals_, domain=domains.filter(lambda d: any(ch in HOMOGLYPHS for ch in d)))
def test_a_lookalike_letter_never_passes(local, domain):
    index = next(i for i, ch in enumerate(domain) if ch in HOMOGLYPHS)
    spoofed = domain[:index] + HOMOGLYPHS[domain[index]] + domain[index + 1 :]
    assert not email_in_domains(f"{local}@{spoofed}", [domain])


def test_a_provider_with_no_domains_speaks_for_no_one():
    assert not email_in_domains("alice@riverside.edu", [])


# Through the real adapter.


def _request():
    request = RequestFactory().get("/accounts/oidc/riverside/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.session.save()
    return request


def _sociallogin(request, app, email: str) -> SocialLogin:
    provider = app.get_provider(request)
    return SocialLogin(
        user=User(email=email),
        account=SocialAccount(provider=app.provider_id, uid=f"uid-{email}"),
        email_addresses=[EmailAddress(email=email, verified=False, primary=True)],
        provider=provider,
    )


@pytest.fixture
def riverside(db):
    return services.sso_add_oidc(
        provider_id="riverside",
        name="Riverside University",
        server_url="https://login.riverside.edu",
        client_id="tandem",
        secret="s3cret",
        domains=["riverside.edu"],
    )


def _decide(app, email: str):
    request = _request()
    sociallogin = _sociallogin(request, app, email)
    try:
        InstitutionSocialAccountAdapter().pre_social_login(request, sociallogin)
    except ImmediateHttpResponse as refused:
        return refused.response, request, sociallogin
    return None, request, sociallogin


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    local=locals_,
    address_domain=st.one_of(
        st.sampled_from(
            [
                "riverside.edu.",
                "med.riverside.edu",
                "riverside.edu.evil.com",
                "evilriverside.edu",
                "rіverside.edu",
                "riverside.ed",
                "riverside.education",
            ]
        ),
        domains,
    ),
)
def test_the_adapter_refuses_every_address_outside_the_domains(riverside, local, address_domain):
    response, _, _ = _decide(riverside, f"{local}@{address_domain}")
    if address_domain == "riverside.edu":
        return
    assert response is not None
    assert response.status_code == 403
    assert b"cannot sign you in here" in response.content
    assert not User.objects.filter(email__iendswith=address_domain).exists()


def test_the_adapter_lets_a_new_address_of_its_domain_through_as_proved(riverside):
    response, _, sociallogin = _decide(riverside, "Nia.New@RIVERSIDE.edu")
    assert response is None
    assert all(address.verified for address in sociallogin.email_addresses)


def test_the_adapter_sends_an_existing_accounts_address_to_proof(riverside):
    User.objects.create_user(email="ops@riverside.edu", password="x", is_superuser=True)
    response, request, _ = _decide(riverside, "ops@riverside.edu")
    assert response is not None
    assert response.status_code == 302
    assert response["Location"] == "/account/institution/link/"
    assert linking.institution_link_pending(request) is not None
    assert not SocialAccount.objects.exists()


def test_a_provider_added_in_the_admin_without_domains_signs_in_no_one(riverside):
    riverside.settings = {"server_url": "https://login.riverside.edu"}
    riverside.save()
    response, _, _ = _decide(riverside, "nia@riverside.edu")
    assert response is not None
    assert response.status_code == 403


def test_asking_twice_for_the_linking_email_sends_one(
    riverside, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.create_user(email="ops@riverside.edu", password="x")
    _, request, _ = _decide(riverside, "ops@riverside.edu")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            linking.institution_link_send(request, linking.institution_link_pending(request))
    assert [message.to for message in mailoutbox] == [["ops@riverside.edu"]]
