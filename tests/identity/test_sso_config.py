"""Connecting an institution: `tandem sso-add` and `tandem sso-list`, and what they refuse."""

from __future__ import annotations

import io

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.management import CommandError, call_command

from tandem.identity import services

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sso_add_connects_an_oidc_provider_and_prints_the_redirect_uri():
    output = run(
        "sso_add",
        "oidc",
        "--id",
        "riverside",
        "--name",
        "Riverside University",
        "--server-url",
        "https://login.riverside.edu/",
        "--client-id",
        "tandem",
        "--secret",
        "s3cret",
        "--domains",
        "riverside.edu,med.riverside.edu",
        "--auto-signup-domain",
        "riverside.edu",
    )
    app = SocialApp.objects.get(provider_id="riverside")
    assert app.settings["tandem_domains"] == ["riverside.edu", "med.riverside.edu"]
    assert app.provider == "openid_connect"
    assert app.settings["server_url"] == "https://login.riverside.edu"
    assert app.settings["tandem_auto_signup_domains"] == ["riverside.edu"]
    assert "http://testserver/accounts/oidc/riverside/login/callback/" in output


def test_sso_add_connects_a_saml_provider_from_its_metadata_url():
    output = run(
        "sso_add",
        "saml",
        "--id",
        "lakeside",
        "--name",
        "Lakeside Health",
        "--metadata-url",
        "https://idp.lakeside.org/metadata",
        "--entity-id",
        "https://idp.lakeside.org",
        "--domains",
        "lakeside.org",
    )
    app = SocialApp.objects.get(provider_id="lakeside")
    assert app.client_id == "lakeside"
    assert app.settings["idp"]["metadata_url"] == "https://idp.lakeside.org/metadata"
    assert app.settings["advanced"]["want_assertion_signed"] is True
    assert "/accounts/saml/lakeside/acs/" in output
    assert "/accounts/saml/lakeside/metadata/" in output
    assert "Email domains: lakeside.org" in output
    assert "Lakeside Health (saml, id lakeside)" in run("sso_list")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            [
                "oidc",
                "--id",
                "Bad Id",
                "--name",
                "X",
                "--server-url",
                "https://x",
                "--client-id",
                "a",
                "--secret",
                "b",
                "--domains",
                "x.org",
            ],
            "lower-case",
        ),
        (
            [
                "oidc",
                "--id",
                "x",
                "--name",
                "X",
                "--server-url",
                "ftp://x",
                "--client-id",
                "a",
                "--secret",
                "b",
                "--domains",
                "x.org",
            ],
            r"http\(s\) URL",
        ),
        (
            ["oidc", "--id", "x", "--name", "X", "--server-url", "https://x", "--domains", "x.org"],
            "client id and secret",
        ),
        (
            [
                "saml",
                "--id",
                "x",
                "--name",
                "X",
                "--entity-id",
                "https://idp",
                "--domains",
                "x.org",
            ],
            "metadata URL, or its entity id",
        ),
        (
            [
                "oidc",
                "--id",
                "x",
                "--name",
                "X",
                "--server-url",
                "https://x",
                "--client-id",
                "a",
                "--secret",
                "b",
                "--domains",
                "x.org",
                "--auto-signup-domain",
                "not a domain",
            ],
            "Not email domains",
        ),
        (
            [
                "oidc",
                "--id",
                "x",
                "--name",
                "X",
                "--server-url",
                "https://x",
                "--client-id",
                "a",
                "--secret",
                "b",
                "--domains",
                "x.org",
                "--auto-signup-domain",
                "gmail.com",
            ],
            "must be among its domains",
        ),
        (
            [
                "oidc",
                "--id",
                "x",
                "--name",
                "X",
                "--server-url",
                "https://x",
                "--client-id",
                "a",
                "--secret",
                "b",
                "--domains",
                ",",
            ],
            "Give the email domains",
        ),
    ],
)
def test_sso_add_refuses_incomplete_settings(arguments, message):
    with pytest.raises(CommandError, match=message):
        run("sso_add", *arguments)
    assert not SocialApp.objects.exists()


def test_two_institutions_cannot_share_an_id():
    services.sso_add_oidc(
        provider_id="riverside",
        name="R",
        server_url="https://r",
        client_id="a",
        secret="b",
        domains=["r.edu"],
    )
    with pytest.raises(services.SsoConfigError, match="exists already"):
        services.sso_add_oidc(
            provider_id="riverside",
            name="R2",
            server_url="https://r2",
            client_id="a",
            secret="b",
            domains=["r.edu"],
        )


def test_sso_add_without_domains_is_refused():
    with pytest.raises(CommandError, match="domains"):
        run(
            "sso_add",
            "oidc",
            "--id",
            "x",
            "--name",
            "X",
            "--server-url",
            "https://x",
            "--client-id",
            "a",
            "--secret",
            "b",
        )
    assert not SocialApp.objects.exists()


def test_sso_domains_replaces_the_domains_of_a_connected_institution():
    services.sso_add_oidc(
        provider_id="riverside",
        name="Riverside",
        server_url="https://r",
        client_id="a",
        secret="b",
        domains=["riverside.edu"],
    )
    output = run("sso_domains", "--id", "riverside", "--domains", "RIVERSIDE.edu,med.riverside.edu")
    app = SocialApp.objects.get(provider_id="riverside")
    assert app.settings["tandem_domains"] == ["riverside.edu", "med.riverside.edu"]
    assert app.settings["server_url"] == "https://r"
    assert "Email domains: riverside.edu, med.riverside.edu" in output
    with pytest.raises(CommandError, match="No institutional sign-in"):
        run("sso_domains", "--id", "nowhere", "--domains", "x.org")
