"""Settings shared by every deployment, with safe defaults for local development.

Values that differ between deployments come from the environment through the strict helpers
in ``tandem.settings.env``; ``production`` and ``test`` adjust this module for their purpose.
"""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONE, SELF

from tandem.settings.env import (
    env_bool,
    env_cache,
    env_database,
    env_email,
    env_int,
    env_list,
    env_str,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
DATA_DIR = Path(env_str("TANDEM_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
# Development only; production.py refuses to start without a real one.
SECRET_KEY = env_str("SECRET_KEY", "development-only-secret-key-not-for-production-use-0000")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
BASE_URL = env_str("TANDEM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Comma-separated field keys (Fernet key format), newest first; apart from SECRET_KEY on purpose.
FIELD_ENCRYPTION_KEYS = env_list("TANDEM_FIELD_KEYS", [])
FIELD_ENCRYPTION_KEY_FILE: Path | None = DATA_DIR / "field-keys"
# Values written before encryption was bound to each row (see docs/security.md); turn off once
# `tandem rotate-keys` has moved them, so an unbound value copied into a row is refused.
FIELD_ENCRYPTION_READ_UNBOUND = env_bool("TANDEM_FIELD_READ_UNBOUND", True)
# Backups are sealed with their own key or passphrase, never the field keys; there is no
# default in any environment, so an archive never sits beside the key that opens it.
BACKUP_KEY = env_str("TANDEM_BACKUP_KEY", "")
BACKUP_PASSPHRASE = env_str("TANDEM_BACKUP_PASSPHRASE", "")
# Key of the keyed hash behind research study ids; empty derives one from SECRET_KEY (see
# docs/research.md): set it so study ids survive a SECRET_KEY rotation.
RESEARCH_ID_KEY = env_str("TANDEM_RESEARCH_ID_KEY", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "tandem.core",
    "tandem.accounts",
    "tandem.programs",
    "tandem.partnerships",
    "tandem.audit",
    "tandem.notifications",
    "tandem.workspace",
    "tandem.wellbeing",
    "tandem.schedules",
    "tandem.identity",
    "tandem.privacy",
    "tandem.rounds",
    "tandem.circles",
    "tandem.engagement",
    "tandem.surveys",
    "tandem.insights",
    "tandem.research",
    "tandem.outcomes",
    "tandem.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tandem.identity.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tandem.identity.middleware.RequireStaffMfaMiddleware",
    "tandem.core.middleware.NoStoreForSignedInMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.context_processors.navigation",
            ],
            # One date style everywhere: {{ value|day }}, |moment, |weekday_moment, |month.
            "builtins": ["tandem.core.templatetags.dates"],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL")
    or {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "tandem.sqlite3"}
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web processes and the worker share the file: writers queue for the lock rather than
    # fail with "database is locked", also when the file is named by DATABASE_URL.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # The default SQLite file lives in the data directory; make it on first use.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first, so a locked-out username and address is refused before any password check.
AUTHENTICATION_BACKENDS = [
    "tandem.identity.lockout.LockoutBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# NIST SP 800-63B: length and a blocklist of common passwords; no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "tandem.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# A join link's sign-up is sent a confirmation link; it joins a cohort only once it is opened
# (an invitation's link proves the address by itself). Sign-in does not wait for it.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "tandem.programs.signup.InvitationOnlyAccountAdapter"
ACCOUNT_FORMS = {"signup": "tandem.programs.signup.InvitationSignupForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tandem] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if BASE_URL.startswith("https") else "http"
ACCOUNT_SESSION_REMEMBER = False
# Known and unknown addresses get the same answer on sign-in and password reset.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
# Counted in the shared cache (CACHES below), so the limits hold across every app process.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN", "30/m/ip"),
    # Per address, plus a per-account backstop above AXES_FAILURE_LIMIT: django-axes locks the
    # account *at that address* first, so no one can lock a person out from elsewhere.
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,30/15m/key"),
    "reset_password": env_str("RATE_LIMIT_PASSWORD_RESET", "20/m/ip,5/m/key"),
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "signup": "20/m/ip",
}
# Exports (personal data, de-identified research data, coordinator CSVs), per person.
TANDEM_EXPORT_RATE_LIMIT = env_str("RATE_LIMIT_EXPORT", "10/h")

# Every uploaded file (roster, outcomes, schedules) is refused above these limits.
TANDEM_IMPORT_MAX_BYTES = env_int("TANDEM_IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
TANDEM_IMPORT_MAX_ROWS = env_int("TANDEM_IMPORT_MAX_ROWS", 200_000, minimum=1)
# Calendar subscriptions on private, loopback or link-local addresses are refused unless allowed
# (an internal rota server); tests of the fetch allow their local server this way.
TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE = env_bool("TANDEM_SCHEDULE_FEEDS_ALLOW_PRIVATE", False)
# Each e-mail is tried this many times (backoff: 5 minutes, then three times longer each time)
# before it is left failed in the admin.
TANDEM_EMAIL_MAX_ATTEMPTS = env_int("TANDEM_EMAIL_MAX_ATTEMPTS", 5, minimum=1)

# Institutional sign-in: one allauth SocialApp (OpenID Connect or SAML 2.0) per institution.
SOCIALACCOUNT_ADAPTER = "tandem.identity.adapter.InstitutionSocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# An identity provider never signs anyone in to an account by matching its address: the
# person first proves the account is theirs (tandem.identity.linking).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}

# Second factors: authenticator apps (TOTP), security keys (WebAuthn) and recovery codes.
MFA_ADAPTER = "tandem.identity.adapter.FieldKeyMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_ISSUER", "Tandem")
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = BASE_URL.startswith("http://")

# Brute force: lock a username *at* an address after repeated failures (django-axes).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "tandem.core.http.username_from_credentials"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy set AXES_PROXY_COUNT to the number of proxies that add
# X-Forwarded-For; otherwise the client address is the connection's own.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0, minimum=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after SESSION_IDLE_TIMEOUT_MINUTES without a request, and SESSION_MAX_AGE_HOURS
# after sign-in whatever happens (tandem.identity.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT_SECONDS = 60 * env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
SESSION_ABSOLUTE_TIMEOUT_SECONDS = 3600 * env_int("SESSION_MAX_AGE_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS

# A cache every app process shares (rate limits, lockout counters): Redis from CACHE_URL, else
# a database table (`tandem createcachetable`). Never per-process memory.
CACHES = {
    "default": env_cache("CACHE_URL")
    or {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tandem_cache"}
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_CONFIG = env_email("EMAIL_URL")
if EMAIL_CONFIG:
    vars().update(EMAIL_CONFIG)
else:
    # Development prints mail to the console so password-reset links can be followed.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_CLASS = "tandem.core.api.BoundedPagination"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
