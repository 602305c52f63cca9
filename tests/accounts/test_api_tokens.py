"""Personal API tokens, attacked as someone who stole one: the scope holds, expiry holds, and no
token reaches token management or sign-in security, through the API or the site's pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import ApiToken
from tandem.accounts.services import api_token_create
from tandem.workspace.models import Note
from tests.factories import PASSWORD
from tests.workspace.factories import sign_agreement

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def post_json(client: Client, url: str, payload: dict, method: str = "post"):
    return getattr(client, method)(url, json.dumps(payload), content_type="application/json")


def expire(token: ApiToken) -> None:
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=now - dt.timedelta(days=2), expires_at=now - dt.timedelta(seconds=1)
    )


@pytest.fixture
def notes_url(cast) -> str:
    sign_agreement(cast.partnership)
    return f"/api/v1/partnerships/{cast.partnership.pk}/notes"


def test_a_stolen_read_only_token_reads_but_cannot_write(cast, notes_url):
    _, secret = api_token_create(user=cast.alice, name="reader", scope=ApiToken.Scope.READ)
    thief = bearer(secret)
    assert thief.get(notes_url).status_code == 200
    assert thief.get("/api/v1/me").status_code == 200

    refused = post_json(thief, notes_url, {"body": "Planted by a thief"})
    assert refused.status_code == 403
    assert "read-only" in refused.json()["detail"]
    profile = f"/api/v1/me/profiles/{cast.program.slug}"
    assert post_json(thief, profile, {"main_thing": "Hijacked"}, "put").status_code == 403
    assert not Note.objects.exists()
    assert cast.alice.profiles.get().main_thing != "Hijacked"


def test_a_read_only_token_cannot_delete(cast, notes_url, client_for):
    note_id = post_json(client_for(cast.alice), notes_url, {"body": "Mine"}).json()["id"]
    _, secret = api_token_create(user=cast.alice, name="reader", scope=ApiToken.Scope.READ)
    assert bearer(secret).delete(f"{notes_url}/{note_id}").status_code == 403
    assert Note.objects.filter(pk=note_id).exists()


def test_a_read_write_token_writes(cast, notes_url):
    _, secret = api_token_create(user=cast.alice, name="writer", scope=ApiToken.Scope.READ_WRITE)
    assert post_json(bearer(secret), notes_url, {"body": "From a script"}).status_code == 201


def test_an_expired_token_is_refused_with_a_clear_message(cast):
    token, secret = api_token_create(user=cast.alice, name="short", lifetime_days=1)
    assert bearer(secret).get("/api/v1/me").status_code == 200
    expire(token)

    refused = bearer(secret).get("/api/v1/me")
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]
    assert "Create a new one" in refused.json()["detail"]


def test_a_token_lives_ninety_days_unless_told_less(cast):
    before = timezone.now()
    default, _ = api_token_create(user=cast.alice, name="default")
    short, _ = api_token_create(user=cast.alice, name="short", lifetime_days=1)
    assert default.expires_at - before >= dt.timedelta(days=90)
    assert default.expires_at - before < dt.timedelta(days=90, minutes=1)
    assert short.expires_at - short.created_at == dt.timedelta(days=1)


@pytest.mark.parametrize("days", [0, -1, 91, 3650])
def test_a_lifetime_outside_one_to_ninety_days_is_refused(cast, client_for, days):
    with pytest.raises(ValueError, match="1 to 90 days"):
        api_token_create(user=cast.alice, name="forever", lifetime_days=days)
    page = client_for(cast.alice).post(
        reverse("accounts:api_tokens"), {"name": "forever", "scope": "read", "lifetime_days": days}
    )
    assert page.status_code == 200
    assert page.context["form"].errors["lifetime_days"]
    assert b'value="forever"' in page.content  # what was typed is kept
    assert not ApiToken.objects.exists()


def test_the_tokens_page_makes_a_read_only_token_by_default_and_shows_scope_and_expiry(
    cast, client_for
):
    client = client_for(cast.alice)
    form = client.get(reverse("accounts:api_tokens")).context["form"]
    assert form["scope"].initial == ApiToken.Scope.READ
    assert form["lifetime_days"].initial == 90
    client.post(
        reverse("accounts:api_tokens"), {"name": "laptop", "scope": "read", "lifetime_days": 7}
    )
    token = ApiToken.objects.get(user=cast.alice)
    assert token.scope == ApiToken.Scope.READ
    page = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "Read only" in page
    assert f"{timezone.localtime(token.expires_at):%-d %b %Y}" in page
    expire(token)
    assert "Expired" in client.get(reverse("accounts:api_tokens")).content.decode()


def test_the_personal_data_download_shows_each_tokens_scope_and_expiry(cast, client_for):
    token, _ = api_token_create(user=cast.alice, name="script", scope=ApiToken.Scope.READ)
    response = client_for(cast.alice).post(reverse("privacy:download"), {"format": "json"})
    listed = json.loads(response.content)["sections"]["account"]["api_tokens"]
    assert listed == [
        {
            "name": "script",
            "starts_with": token.prefix,
            "scope": "read",
            "created_at": token.created_at.isoformat(),
            "expires_at": token.expires_at.isoformat(),
            "last_used_at": None,
            "revoked_at": None,
        }
    ]


@pytest.mark.parametrize("scope", [ApiToken.Scope.READ, ApiToken.Scope.READ_WRITE])
def test_no_token_can_create_a_token(cast, scope):
    _, secret = api_token_create(user=cast.alice, name="stolen", scope=scope)
    refused = post_json(bearer(secret), "/api/v1/me/tokens", {"name": "backdoor"})
    assert refused.status_code == 403
    assert "cannot manage tokens" in refused.json()["detail"]
    assert ApiToken.objects.filter(user=cast.alice).count() == 1


def test_the_signed_in_browser_creates_a_token_through_the_api_and_tokens_list_them(
    cast, client_for
):
    created = post_json(
        client_for(cast.alice),
        "/api/v1/me/tokens",
        {"name": "ci", "scope": "read_write", "lifetime_days": 30},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith(body["starts_with"])
    assert body["scope"] == "read_write"
    listed = bearer(body["secret"]).get("/api/v1/me/tokens").json()
    assert [row["name"] for row in listed] == ["ci"]
    assert "secret" not in listed[0]


def test_the_api_creates_no_token_for_a_session_without_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice, backend="django.contrib.auth.backends.ModelBackend")
    assert post_json(client, "/api/v1/me/tokens", {"name": "csrf"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_api_has_no_operation_on_passwords_addresses_or_second_factors(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    words = ("password", "email", "mfa", "2fa", "authenticator", "social", "login", "session")
    assert not [path for path in paths if any(word in path.lower() for word in words)]
    assert set(paths["/api/v1/me/tokens"]) == {"get", "post"}  # no way to edit a token


def test_a_token_cannot_change_the_password_address_or_second_factor_on_the_sites_pages(cast):
    """The site's pages know only the browser's session: a bearer token signs nobody in."""
    _, secret = api_token_create(user=cast.alice, name="stolen", scope=ApiToken.Scope.READ_WRITE)
    thief = bearer(secret)
    attempts = [
        (
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "thief-owns-it-1",
                "password2": "thief-owns-it-1",
            },
        ),
        (reverse("account_email"), {"action_add": "", "email": "thief@example.net"}),
        (reverse("mfa_activate_totp"), {"code": "123456"}),
        (reverse("account_reauthenticate"), {"password": PASSWORD}),
        (reverse("accounts:api_tokens"), {"name": "x", "scope": "read", "lifetime_days": 1}),
    ]
    for url, data in attempts:
        response = thief.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    cast.alice.refresh_from_db()
    assert cast.alice.check_password(PASSWORD)
    assert not EmailAddress.objects.filter(email="thief@example.net").exists()
    assert not Authenticator.objects.filter(user=cast.alice).exists()
    assert ApiToken.objects.filter(user=cast.alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_tokens_made_before_expiry_existed_get_ninety_days_and_keep_writing():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("accounts", "0001_initial")]
    after = [("accounts", "0002_token_expiry_scope_and_sign_in_generation")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    user = old_apps.get_model("accounts", "User").objects.create(email="old@example.org")
    old_apps.get_model("accounts", "ApiToken").objects.create(
        user=user, name="legacy", prefix="tdm_abcdef", key_hash="0" * 64
    )
    migrated_at = timezone.now()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    token = ApiToken.objects.get(name="legacy")
    assert token.scope == ApiToken.Scope.READ_WRITE
    assert (
        dt.timedelta(days=90) <= token.expires_at - migrated_at < dt.timedelta(days=90, minutes=5)
    )
