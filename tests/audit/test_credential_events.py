"""API tokens made and ended, and every credential ended after a sign-in change, are in the
audit log through the pages that do them, with who did it and never a token's name or secret."""

from __future__ import annotations

import json
import re

from django.urls import reverse

from tandem.accounts.models import ApiToken
from tandem.audit.models import AuditEvent
from tests.factories import PASSWORD


def events(name: str) -> list[AuditEvent]:
    return [
        event for event in AuditEvent.objects.order_by("at") if event.detail.get("event") == name
    ]


def make_token(client, name: str = "Laptop script") -> tuple[ApiToken, str]:
    page = client.post(
        reverse("accounts:api_tokens"),
        {"name": name, "scope": ApiToken.Scope.READ, "lifetime_days": 30},
    ).content.decode()
    secret = re.search(r"tdm_[A-Za-z0-9_-]+", page)
    assert secret is not None
    return ApiToken.objects.get(name=name), secret.group(0)


def test_a_token_made_on_the_page_is_recorded_without_its_name_or_secret(cast, client_for):
    token, secret = make_token(client_for(cast.alice))

    (event,) = events("api_token_created")
    assert event.actor == cast.alice
    assert event.target_id == str(cast.alice.pk)
    assert event.detail["token_id"] == token.pk
    assert event.detail["scope"] == "read"
    stored = json.dumps(event.detail)
    assert "Laptop script" not in stored
    assert secret not in stored
    assert secret[4:10] not in stored


def test_a_token_made_through_the_api_is_recorded(cast, client_for):
    client = client_for(cast.alice)
    answer = client.post(
        "/api/v1/me/tokens",
        json.dumps({"name": "CI", "scope": "read", "lifetime_days": 7}),
        content_type="application/json",
    )
    assert answer.status_code == 201
    (event,) = events("api_token_created")
    assert event.detail["token_id"] == answer.json()["id"]


def test_revoking_a_token_is_recorded_once_however_often_it_is_asked(cast, client_for):
    client = client_for(cast.alice)
    token, _ = make_token(client)
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302

    (event,) = events("api_token_revoked")
    assert event.actor == cast.alice
    assert event.detail["token_id"] == token.pk


def test_an_operator_revoking_someones_token_in_the_admin_is_recorded_as_the_operator(
    cast, client_for
):
    token, _ = make_token(client_for(cast.alice))
    operator = client_for(cast.olga)
    answer = operator.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None

    (event,) = events("api_token_revoked")
    assert event.actor == cast.olga
    assert event.target_id == str(cast.alice.pk)


def test_a_password_change_records_the_tokens_and_sessions_it_ended(cast, client_for):
    client = client_for(cast.alice)
    make_token(client, "one")
    make_token(client, "two")
    answer = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "A-new passphrase 42",
            "password2": "A-new passphrase 42",
        },
    )
    assert answer.status_code == 302
    assert not ApiToken.objects.filter(user=cast.alice, revoked_at__isnull=True).exists()

    (event,) = events("credentials_revoked")
    assert event.actor == cast.alice
    assert event.target_id == str(cast.alice.pk)
    assert event.detail["tokens"] == 2


def test_the_audit_log_shows_the_token_events_in_words(cast, client_for):
    client = client_for(cast.alice)
    token, _ = make_token(client)
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    page = client_for(cast.olga).get(reverse("audit:log")).content.decode()
    assert "API token created" in page
    assert "API token revoked" in page
