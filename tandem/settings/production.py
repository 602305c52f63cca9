"""Settings for a real deployment: refuses to start with an unsafe configuration.

Everything deploy-specific must come from the environment; there is no secret default here.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from tandem.settings.base import *  # noqa: F403
from tandem.settings.env import env_bool, env_int, env_list, env_str

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be a random value of at least 50 characters; generate one with "
        "`tandem generate-secret-key`."
    )

FIELD_ENCRYPTION_KEYS = env_list("TANDEM_FIELD_KEYS", [])
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "TANDEM_FIELD_KEYS must hold at least one Fernet key (newest first, comma-separated); "
        "generate one with `tandem generate-field-key`."
    )
FIELD_ENCRYPTION_KEY_FILE = None

# Without a mail server Django's console backend would print invitation and password-reset
# links (each one a way into an account) into the logs.
if not EMAIL_CONFIG:  # noqa: F405
    raise ImproperlyConfigured(
        "EMAIL_URL must name the mail server in production, e.g. "
        "smtp+tls://user:password@smtp.example.org:587 (invitations and password resets are "
        "sent by e-mail)."
    )
if EMAIL_CONFIG["EMAIL_BACKEND"] in (  # noqa: F405
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
):
    raise ImproperlyConfigured(
        "EMAIL_URL must name a real mail server in production (smtp:// or smtp+tls://), not a "
        "console, file, memory or dummy backend."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) Tandem is served on.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading asks browsers to use HTTPS for the whole domain and its subdomains for good; it is
# hard to undo (see docs/security.md). Turn it off for a domain that also serves plain HTTP.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
