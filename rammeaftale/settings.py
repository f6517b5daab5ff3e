"""Settings for Rammeaftale, read from the environment.

DATABASE_URL unset gives the embedded SQLite database in the project folder;
set, it names the PostgreSQL database (production).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from accounts.saml_settings import BINDING_HTTP_REDIRECT, sso_settings_from_env

# openpyxl parses spreadsheets with lxml whenever lxml is installed (other
# libraries bring it); the register's import reads XLSX through defusedxml only,
# and writes it the same way on every machine. Set before openpyxl is imported.
os.environ["OPENPYXL_LXML"] = "False"

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# With DEBUG on, a missing page is still the product's own 404 page, unless
# this asks for Django's technical one (rammeaftale.middleware).
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404")
TESTING = env_bool("TESTING") or "pytest" in sys.modules
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("PRODUCTION"):
        raise RuntimeError("SECRET_KEY must be set when PRODUCTION is on.")
    SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "import_export",
    "accounts.login_attempts.LoginAttemptsConfig",  # django-axes
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "outbox",
    "worker",
    "agreements",
    "providers",
    "contracts",
    "capacity",
    "meetings",
    "tariffs",
    "hearings",
    "portal",
    "register_io",
    "notices",
    "seals",
    # Last, so that its post_migrate sees every app's permissions.
    "accounts",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (rammeaftale/log.py).
    "rammeaftale.log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # With DEBUG on only: the product's 404 page rather than Django's technical one.
    "rammeaftale.middleware.ProductNotFoundMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The single sign-on requests in flight, in a cookie of their own that the
    # identity provider's cross-site POST carries (SameSite=None).
    "djangosaml2.middleware.SamlSessionMiddleware",
    "rammeaftale.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends sessions past their absolute limit, asks for the second factor,
    # and keeps logged-in pages out of caches (accounts/middleware.py).
    "accounts.middleware.SessionLimitMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Axes first: it refuses a locked account before the password is checked.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.saml.SsoBackend",
]

ROOT_URLCONF = "rammeaftale.urls"
WSGI_APPLICATION = "rammeaftale.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
                "notices.context_processors.footer",
            ],
        },
    },
]
# Every form field carries the design system's class (form-input, form-select, form-radio …).
FORM_RENDERER = "rammeaftale.form_rendering.DesignSystemRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Behind PgBouncer in transaction mode a server-side cursor does not outlive
# its transaction's connection: set DISABLE_SERVER_SIDE_CURSORS=1 there.
if env_bool("DISABLE_SERVER_SIDE_CURSORS"):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "12"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Danish formats come from Django's "da" locale (31.12.2026, 1.234,50);
# thousands separators are shown, not only parsed.
USE_THOUSAND_SEPARATOR = True
# English dates day first too (rammeaftale/formats/en/formats.py).
FORMAT_MODULE_PATH = ["rammeaftale.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded papers and stored PDFs: MEDIA_ROOT on disk by default; with
# S3_BUCKET set, an S3-compatible object store, which several application
# servers can share (README, "Files").
if os.environ.get("S3_BUCKET"):
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# Stored files hold full CPR numbers (signed individual contracts): readable by
# the application's own user only. Every file is written through the storage.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Papers uploaded to agenda items and framework agreements.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", 20_000_000))
DOCUMENT_MAX_UNPACKED_BYTES = int(os.environ.get("DOCUMENT_MAX_UNPACKED_BYTES", 200_000_000))

# A refused form (an expired page, cookies off) explains itself in Danish.
CSRF_FAILURE_VIEW = "rammeaftale.views.csrf_failure"
# The seal on signed contracts, approved minutes and tariff lists (seals/): the
# secretariat's organisation certificate as PKCS#12, and a time-stamp authority
# (RFC 3161) for PAdES-B-T. `make run` creates a demo certificate at the default
# path; `check --deploy` warns while it is in use.
SEAL_PKCS12_PATH = os.environ.get("SEAL_PKCS12_PATH", str(BASE_DIR / "var" / "demo-seal.p12"))
SEAL_PKCS12_PASSWORD = os.environ.get("SEAL_PKCS12_PASSWORD", "demo")
SEAL_TSA_URL = os.environ.get("SEAL_TSA_URL", "")
# How the parties sign contracts (contracts/signing.py).
SIGNING_PROVIDER = os.environ.get("SIGNING_PROVIDER", "contracts.signing.BuiltInSigning")
# Extra trust roots (PEM) for /verificer/, besides the certificate's own chain.
SEAL_TRUST_ROOTS_PATH = os.environ.get("SEAL_TRUST_ROOTS_PATH", "")
# /verificer/ is open to everyone: each address may check this many files an
# hour, each at most DOCUMENT_MAX_BYTES.
VERIFY_RATE_PER_HOUR = int(os.environ.get("VERIFY_RATE_PER_HOUR", "30"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rammeaftale@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# A mail server that does not answer holds the worker this long per mail.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# The task worker (django-tasks, README "Worker"): tasks are rows in the
# database the product already has, run by `manage.py worker`. The tests run
# them in-process, at once.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend"
    }
}
# The worker beats every round; /sundhed/ fails when its last heartbeat is
# older than this.
WORKER_STALE_SECONDS = int(os.environ.get("WORKER_STALE_SECONDS", "120"))
# The address of the site, for links in e-mails sent outside a request (cron).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Where an invited user who chooses single sign-on is sent (the SAML login,
# e.g. "/saml2/login/"); empty: invitations offer a password only.
SSO_LOGIN_URL = os.environ.get("SSO_LOGIN_URL", "")

SESSION_COOKIE_HTTPONLY = True
# Sessions end after SESSION_IDLE_MINUTES without a request and
# SESSION_MAX_HOURS after the login whatever happens
# (accounts.middleware.SessionLimitMiddleware); the stored session and its
# cookie last no longer than the second.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "10"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Lockout after failed password logins (django-axes, accounts.lockout): the
# account is locked after AXES_FAILURE_LIMIT consecutive failures within
# LOGIN_FAILURE_WINDOW_HOURS, until AXES_COOLOFF_TIME has passed since the
# last one or the secretariat deletes its row under "Adgangsforsøg" in the
# admin. Locked by username: many municipal offices share one address.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "3"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
LOGIN_FAILURE_WINDOW = timedelta(hours=int(os.environ.get("LOGIN_FAILURE_WINDOW_HOURS", "24")))
AXES_HANDLER = "accounts.lockout.LoginLockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
# Axes warns that a lock without the address can be dodged by changing the
# browser; not here: the failures of a username are counted whatever the
# browser or address (accounts.lockout), and an address alone is not locked
# because a municipality's staff share one.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# A try while locked does not extend the lock: it ends AXES_COOLOFF_TIME after
# the failure that caused it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address behind the reverse proxy (README "Deployment"): with
# TRUSTED_PROXY_COUNT proxies in front, each appending to X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip_address"

# A second factor (TOTP) for staff and secretariat users who log in with a
# password (accounts.otp). Off only for `make run`'s demo.
OTP_REQUIRED = env_bool("OTP_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Rammeaftale")

# Content-Security-Policy (django-csp): only the site's own scripts, styles,
# fonts and images; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env_bool("PRODUCTION"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Error mails go to ADMINS (comma-separated addresses).
ADMINS = [(address, address) for address in env_list("ADMINS")]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Error reports and log lines never carry a CPR number (accounts.cpr_redaction).
DEFAULT_EXCEPTION_REPORTER_FILTER = "accounts.cpr_redaction.CprSafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "accounts.cpr_redaction.CprSafeExceptionReporter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_cpr": {"()": "accounts.cpr_redaction.MaskCprFilter"},
        "request_id": {"()": "rammeaftale.log.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        # One JSON object a line, with the request id (README "Logs").
        "json": {"()": "rammeaftale.log.JsonFormatter"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    # Every handler masks CPR numbers (tests/accounts/test_cpr_redaction.py).
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["mask_cpr", "request_id"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["mask_cpr", "request_id"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["mask_cpr", "require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The SAML libraries report every step, some with the attributes.
        "saml2": {"level": "WARNING"},
        "djangosaml2": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
    },
}

# Import/export: files larger than this, or with more rows, are refused unread.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))

# Single sign-on (OIOSAML 3): KOMBIT's Context Handler for municipal staff,
# NemLog-in with MitID Erhverv for providers. Off (SAML_CONFIG None) unless
# SAML_SP_ENTITY_ID is set; the variables are listed in README.
_sso = sso_settings_from_env(os.environ, site_url=SITE_URL)
SAML_CONFIG = _sso.config
SAML_IDP_SOURCES = _sso.idp_sources
SAML_CONFIG_LOADER = "accounts.saml_settings.load_sp_config"
SAML_METADATA_CACHE_SECONDS = int(os.environ.get("SAML_METADATA_CACHE_SECONDS", "3600"))
# Requests go by redirect, so that no page posts itself with a script.
SAML_DEFAULT_BINDING = BINDING_HTTP_REDIRECT
SAML_LOGOUT_REQUEST_PREFERRED_BINDING = BINDING_HTTP_REDIRECT
SAML_IGNORE_LOGOUT_ERRORS = True
SAML_SESSION_COOKIE_NAME = "saml_session"
# The privileges (OIO-BPP) that give a role here, as registered with KOMBIT's
# administration module and NemLog-in: privilege URI -> role. Roles:
# "municipality_staff" and "body_member:<governing body kind>" (KOMBIT),
# "provider_leader" (NemLog-in). A privilege not in this table gives nothing.
SAML_PRIVILEGE_URI_BASE = os.environ.get(
    "SAML_PRIVILEGE_URI_BASE", "http://rammeaftale.dk/roles/usersystemrole/"
)
SAML_PRIVILEGE_ROLES = {
    f"{SAML_PRIVILEGE_URI_BASE}kommunemedarbejder/1": "municipality_staff",
    f"{SAML_PRIVILEGE_URI_BASE}dassos/1": "body_member:dassos",
    f"{SAML_PRIVILEGE_URI_BASE}forretningsudvalg/1": "body_member:forretningsudvalg",
    f"{SAML_PRIVILEGE_URI_BASE}tilbudsleder/1": "provider_leader",
}
# An XLSX (a zip) whose parts would unpack to more than this many bytes, or to
# more than this many times its own size, is refused before it is unpacked.
IMPORT_XLSX_MAX_UNPACKED_BYTES = int(
    os.environ.get("IMPORT_XLSX_MAX_UNPACKED_BYTES", str(50 * 1024 * 1024))
)
IMPORT_XLSX_MAX_RATIO = int(os.environ.get("IMPORT_XLSX_MAX_RATIO", "100"))

# Personal data (README "Personal data"). The CPR access log finds a person's
# rows by a keyed digest of the number, with its own key; old keys stay listed
# after a rotation so that older rows remain findable.
CPR_DIGEST_KEY = os.environ.get("CPR_DIGEST_KEY", "")
if not CPR_DIGEST_KEY:
    if not DEBUG and env_bool("PRODUCTION"):
        raise RuntimeError("CPR_DIGEST_KEY must be set when PRODUCTION is on.")
    CPR_DIGEST_KEY = "dev-only-cpr-digest-key-set-CPR_DIGEST_KEY-in-production"  # noqa: S105
CPR_DIGEST_OLD_KEYS = env_list("CPR_DIGEST_OLD_KEYS")
# Retention, set by the data controller: CPR numbers of individual contracts
# that ended more than this many years ago are removed, and access-log rows
# older than this many months are deleted (`manage.py apply_retention`).
CPR_RETENTION_YEARS = int(os.environ.get("CPR_RETENTION_YEARS", "5"))
CPR_LOG_RETENTION_MONTHS = int(os.environ.get("CPR_LOG_RETENTION_MONTHS", "6"))
# Records of logins and failed logins (with address and browser) older than
# this many months are deleted by the same daily job.
LOGIN_LOG_RETENTION_MONTHS = int(os.environ.get("LOGIN_LOG_RETENTION_MONTHS", "6"))
# Users without a login for this many months are listed for deactivation
# (accounts.users.inactive; 12 months = 365 days).
USER_INACTIVE_MONTHS = int(os.environ.get("USER_INACTIVE_MONTHS", "12"))

# The public authority's notices (notices/): the privacy notice at /privatliv/
# names the data controller and where to ask for access; every page's footer
# links the accessibility statement made in the state's WAS tool, or, while
# it is unset, a page saying it is not yet published and whom to contact
# (`check --deploy` warns: notices.W001, notices.W002).
DATA_CONTROLLER = os.environ.get("DATA_CONTROLLER", "")
DATA_PROTECTION_CONTACT = os.environ.get("DATA_PROTECTION_CONTACT", "")
ACCESSIBILITY_STATEMENT_URL = os.environ.get("ACCESSIBILITY_STATEMENT_URL", "")
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")
