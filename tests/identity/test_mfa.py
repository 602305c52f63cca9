"""Two-factor sign-in: authenticator apps with real TOTP codes, recovery codes, and programs that
require a second factor of their coordinators and researchers."""

from __future__ import annotations

import io
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.programs.models import Program
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(email: str) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrol_totp(client: Client) -> str:
    # allauth asks for the password again before a second factor is added.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    return secret


def require_mfa(program: Program) -> None:
    Program.objects.filter(pk=program.pk).update(require_mfa_for_staff=True)


def test_a_person_enrols_an_authenticator_app_and_then_needs_its_code(cast):
    client = sign_in("alice@example.org")
    secret = enrol_totp(client)
    assert Authenticator.objects.filter(user=cast.alice, type="totp").exists()
    client.post(reverse("account_logout"))

    second = Client()
    response = second.post(
        reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert second.get(reverse("accounts:api_tokens")).status_code == 302  # not yet signed in
    assert second.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    response = second.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert second.get(reverse("accounts:api_tokens")).status_code == 200
    last = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).order_by("-pk")[0]
    assert last.detail == {"method": "password", "second_factor": True}


def test_the_authenticator_secret_is_stored_encrypted(cast):
    client = sign_in("alice@example.org")
    secret = enrol_totp(client)
    stored = Authenticator.objects.get(user=cast.alice, type="totp").data["secret"]
    assert secret not in stored
    assert stored.startswith("enc2:")


def test_a_recovery_code_signs_in_once(cast):
    client = sign_in("alice@example.org")
    enrol_totp(client)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=cast.alice, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert len(codes) == 10
    page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert all(code in page for code in codes)
    code = codes[0]
    client.post(reverse("account_logout"))

    for expected in (302, 200):
        other = Client()
        other.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
        assert other.post(reverse("mfa_authenticate"), {"code": code}).status_code == expected


def test_coordinators_of_a_program_that_requires_mfa_must_enrol_first(cast):
    require_mfa(cast.program)
    client = sign_in("coord@example.org")
    response = client.get(reverse("programs:detail", args=[cast.program.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/me").status_code == 403
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert b"requires two-factor authentication" in page.content

    enrol_totp(client)
    assert client.get(reverse("programs:detail", args=[cast.program.slug])).status_code == 200


def test_researchers_are_held_to_the_same_rule(cast, client_for):
    require_mfa(cast.program)
    response = client_for(cast.rhea).get(reverse("home"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_participants_and_other_programs_staff_are_not_forced(cast, client_for):
    require_mfa(cast.program)
    assert client_for(cast.alice).get(reverse("home")).status_code == 200
    assert client_for(cast.other_coord).get(reverse("home")).status_code == 200


def test_without_the_program_setting_nobody_is_forced(cast, client_for):
    assert client_for(cast.coord).get(reverse("home")).status_code == 200


def test_a_bearer_token_of_unenrolled_staff_is_refused_once_mfa_is_required(cast):
    from tandem.accounts.services import api_token_create

    _, secret = api_token_create(user=cast.coord, name="script")
    headers = {"Authorization": f"Bearer {secret}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200
    require_mfa(cast.program)
    refused = Client().get("/api/v1/me", headers=headers)
    assert refused.status_code == 403
    assert "Two-factor authentication is required" in refused.json()["detail"]


def test_the_coordinator_turns_the_requirement_on_in_the_program_settings(cast, client_for):
    client = client_for(cast.coord)
    form = client.get(reverse("programs:edit", args=[cast.program.slug])).context["form"]
    data = {name: value for name, value in form.initial.items() if name != "slug"}
    data.update(ladder="\n".join(data["ladder"]), topics="\n".join(data["topics"]))
    data["require_mfa_for_staff"] = "on"
    client.post(reverse("programs:edit", args=[cast.program.slug]), data)
    assert Program.objects.get(pk=cast.program.pk).require_mfa_for_staff


def test_rotating_the_field_keys_re_encrypts_second_factor_secrets(cast, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from tandem.core import crypto

    client = sign_in("alice@example.org")
    secret = enrol_totp(client)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    for authenticator in Authenticator.objects.filter(user=cast.alice):
        stored = authenticator.data.get("secret") or authenticator.data.get("seed")
        assert crypto.decrypt(stored)
    again = Client()
    again.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
    response = again.post(reverse("mfa_authenticate"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert again.get(reverse("accounts:api_tokens")).status_code == 200
