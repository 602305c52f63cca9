"""Operators must use a second factor, sign in to the admin through the site's own sign-in,
and cannot set anyone's password or act as anyone else.

Attacked end to end: an operator (or required staff) without a second factor tries every URL
pattern of the site, the admin included, and the API; someone with only an operator's password
tries the admin's login page; an operator tries to give themselves another person's account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from tandem.accounts.models import ApiToken, User
from tandem.accounts.services import api_token_create
from tandem.demo import institution as demo
from tandem.identity.middleware import MFA_ENROLMENT_PATHS
from tandem.programs.models import Program
from tests import factories
from tests.factories import OPERATOR_TOTP_SECRET, PASSWORD
from tests.identity.test_mfa import enrol_totp, sign_in, totp_now

pytestmark = pytest.mark.django_db

SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "path": "sample/x", "uuid": "0" * 32}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def sample_urls(patterns=None, prefix: str = "") -> Iterator[str]:
    """One concrete URL per route of the site (regex routes are left to admin_urls())."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = CONVERTER.sub(
            lambda m: SAMPLE.get(m.group(1) or "str", "sample"), str(entry.pattern)
        )
        if isinstance(entry, URLResolver):
            yield from sample_urls(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        urls += [admin_url(model, "changelist"), admin_url(model, "add")]
        urls.append(admin_url(model, "change", 1))
    return urls


def pages() -> list[str]:
    found = {url for url in sample_urls() if not url.startswith("/api/")}
    found |= set(admin_urls())
    return sorted(url for url in found if not url.startswith(MFA_ENROLMENT_PATHS))


@pytest.fixture
def unenrolled_operator(db) -> User:
    return factories.UserFactory(
        email="new-operator@example.org", is_superuser=True, is_staff=True, totp=False
    )


def test_the_sample_covers_the_whole_site(db):
    urls = pages()
    assert len(urls) > 150
    assert {"/", "/admin/", "/account/tokens/", "/operator/audit/"} <= set(urls)


@pytest.mark.parametrize("who", ["operator", "coordinator of a program that requires MFA"])
def test_without_a_second_factor_every_page_sends_to_mfa_set_up(cast, unenrolled_operator, who):
    if who == "operator":
        person = unenrolled_operator
    else:
        Program.objects.filter(pk=cast.program.pk).update(require_mfa_for_staff=True)
        person = cast.coord
    client = sign_in(person.email)
    set_up = reverse("mfa_activate_totp")
    for method in ("get", "post"):
        for url in pages():
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"] == set_up, (method, url)
    # Set-up itself answers (after the password again, when the sign-in is minutes old).
    assert client.get(set_up, follow=True).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_without_a_second_factor_the_operator_gets_403_from_the_api(cast, unenrolled_operator):
    _, secret = api_token_create(user=unenrolled_operator, name="ops")
    by_token = Client(headers={"Authorization": f"Bearer {secret}"})
    by_session = sign_in(unenrolled_operator.email)
    for client in (by_token, by_session):
        for url in ("/api/v1/me", f"/api/v1/programs/{cast.program.slug}", "/api/v1/me/tokens"):
            response = client.get(url)
            assert response.status_code == 403, url
            assert "Two-factor authentication is required" in response.json()["detail"]


def test_once_enrolled_the_operator_reaches_the_admin(unenrolled_operator):
    client = sign_in(unenrolled_operator.email)
    assert client.get("/admin/").status_code == 302
    enrol_totp(client)
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_page_accepts_no_password(cast):
    client = Client()
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"

    posted = client.post(
        "/admin/login/?next=/admin/",
        {"username": "olga@example.org", "password": PASSWORD, "next": "/admin/"},
    )
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("account_login"))
    assert client.get("/admin/").status_code == 302  # not signed in

    # The site's sign-in takes the password, then asks for the second factor.
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": "olga@example.org", "password": PASSWORD},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(OPERATOR_TOTP_SECRET)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_sends_nobody_elsewhere(cast):
    response = Client().get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_a_signed_in_participant_at_the_admin_login_is_refused_without_a_loop(cast, client_for):
    client = client_for(cast.alice)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_admins_password_change_is_the_sites_own(cast, client_for):
    response = client_for(cast.olga).get("/admin/password_change/")
    assert response["Location"] == reverse("account_change_password")


def test_no_admin_form_sets_or_shows_a_password(cast, client_for):
    request = RequestFactory().get("/admin/")
    request.user = cast.olga
    for model, model_admin in admin.site._registry.items():
        for obj in (None, model.objects.first()):
            if obj is None and not model_admin.has_add_permission(request):
                continue
            fields = model_admin.get_form(request, obj).base_fields
            leaks = [name for name in fields if "password" in name or name == "key_hash"]
            assert not leaks, (model, leaks)

    olga = client_for(cast.olga)
    change = olga.get(reverse("admin:accounts_user_change", args=[cast.alice.pk]))
    assert change.status_code == 200
    assert b'type="password"' not in change.content
    assert b'name="password' not in change.content
    assert f"/accounts/user/{cast.alice.pk}/password/".encode() not in change.content
    add = olga.get(reverse("admin:accounts_user_add"))
    assert b'type="password"' not in add.content


def test_the_admin_cannot_set_another_persons_password(cast, client_for):
    olga = client_for(cast.olga)
    url = f"/admin/accounts/user/{cast.alice.pk}/password/"
    olga.post(url, {"password1": "operator-owns-it", "password2": "operator-owns-it"}, follow=True)
    olga.post(
        reverse("admin:accounts_user_change", args=[cast.alice.pk]),
        {
            "email": "alice@example.org",
            "full_name": "Alice Adams",
            "is_active": "on",
            "password": "operator-owns-it",
            "password1": "operator-owns-it",
            "password2": "operator-owns-it",
        },
    )
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)
    assert not cast.alice.check_password("operator-owns-it")
    assert cast.alice.email == "alice@example.org"


def test_an_account_made_in_the_admin_has_no_password_until_its_owner_sets_one(cast, client_for):
    response = client_for(cast.olga).post(
        reverse("admin:accounts_user_add"),
        {"email": "New.Person@Example.org", "full_name": "New Person", "is_active": "on"},
    )
    assert response.status_code == 302
    made = User.objects.get(email="new.person@example.org")
    assert not made.has_usable_password()


@pytest.mark.django_db(transaction=True)  # the e-mail goes out once the action commits
def test_the_admin_action_emails_a_password_reset_link(cast, client_for, mailoutbox):
    response = client_for(cast.olga).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_password_reset", "_selected_action": [cast.alice.pk]},
    )
    assert response.status_code == 302
    assert [mail.to for mail in mailoutbox] == [["alice@example.org"]]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    assert link is not None
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)  # nothing changes until alice follows the link

    owner = Client()
    form_url = owner.get(link.group(1))["Location"]
    owner.post(form_url, {"password1": "alice's own choice", "password2": "alice's own choice"})
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("alice's own choice")


def test_the_admin_cannot_add_an_address_a_second_factor_a_login_or_a_token(cast, client_for):
    olga = client_for(cast.olga)
    for model in (EmailAddress, Authenticator, SocialAccount, ApiToken):
        assert olga.get(admin_url(model, "add")).status_code == 403, model
    address = EmailAddress.objects.create(user=cast.alice, email="alice@example.org", primary=True)
    olga.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        {"email": "olga-owns-it@example.org", "user": cast.alice.pk, "verified": "on"},
    )
    address.refresh_from_db()
    assert address.email == "alice@example.org"
    assert not address.verified


def test_there_is_no_way_to_act_as_another_person(db):
    words = ("hijack", "impersonat", "loginas", "login_as", "masquerade", "become", "switch_user")
    installed = [*settings.INSTALLED_APPS, *settings.MIDDLEWARE, *settings.AUTHENTICATION_BACKENDS]
    assert not [name for name in installed if any(word in name.lower() for word in words)]
    routes = [url for url in sample_urls() if any(word in url.lower() for word in words)]
    assert not routes
    names = [
        str(name)
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and any(word in name.lower() for word in words)
    ]
    assert not names
    for url in ("/admin/hijack/1/", "/hijack/1/", "/impersonate/1/", "/admin/login/as/1/"):
        assert Client().get(url).status_code in (302, 404)


def test_the_demo_operator_signs_in_with_the_published_authenticator_secret(db):
    operator = factories.UserFactory(
        email=demo.OPERATOR_EMAIL, is_superuser=True, is_staff=True, totp=False
    )
    demo.demo_operator_mfa_ensure()
    demo.demo_operator_mfa_ensure()  # a second demo run adds nothing
    assert Authenticator.objects.filter(user=operator, type="totp").count() == 1
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": demo.OPERATOR_EMAIL, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": demo.demo_operator_code()})
    assert client.get("/admin/").status_code == 200
