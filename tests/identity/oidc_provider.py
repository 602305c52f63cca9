"""A real OpenID Connect provider for the sign-in tests: allauth's own IdP in its own process.

Run as ``python -m tests.identity.oidc_provider CONFIG.json``; it creates its own SQLite
database, one person and one client, listens on 127.0.0.1 on a free port and prints
``READY <port>``. Nothing here is Tandem code: it stands in for an institution's provider.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def configure(config: dict[str, Any]) -> None:
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="oidc-test-provider-secret-key-not-used-anywhere-else-0123456789",
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "allauth",
            "allauth.account",
            "allauth.idp.oidc",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "allauth.account.middleware.AccountMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": config["database"]}},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        USE_TZ=True,
        AUTHENTICATION_BACKENDS=["allauth.account.auth_backends.AuthenticationBackend"],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ACCOUNT_LOGIN_METHODS={"email"},
        ACCOUNT_SIGNUP_FIELDS=["email*", "password1*"],
        ACCOUNT_EMAIL_VERIFICATION="none",
        LOGIN_URL="account_login",
        IDP_OIDC_PRIVATE_KEY=config["private_key"],
        # The provider and Tandem both run on 127.0.0.1; distinct cookie names keep them apart.
        SESSION_COOKIE_NAME="idp_sessionid",
        CSRF_COOKIE_NAME="idp_csrftoken",
    )


def seed(config: dict[str, Any]) -> None:
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    for person in config["people"]:
        user = get_user_model().objects.create_user(
            username=person["email"].split("@")[0],
            email=person["email"],
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        EmailAddress.objects.create(user=user, email=person["email"], verified=True, primary=True)
    client = Client(
        id=config["client_id"],
        name="Tandem",
        scopes="openid\nprofile\nemail",
        redirect_uris=config["redirect_uri"],
    )
    client.set_secret(config["client_secret"])
    client.save()


def serve() -> None:
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


def _urls() -> list[Any]:
    from django.urls import include, path

    return [
        path("", include("allauth.idp.urls")),
        path("accounts/", include("allauth.urls")),
    ]


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text())
    configure(config)
    import django

    django.setup()
    globals()["urlpatterns"] = _urls()
    seed(config)
    serve()


if __name__ == "__main__":
    main()
