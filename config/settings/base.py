"""Settings shared by every environment. Configuration comes from the environment only.

See README.md "Configuration" for every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ctip.core.client_ip import parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CTIP_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", required=True)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
CTIP_DEMO_MODE = env_bool("CTIP_DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ctip.core",
    "ctip.audit",
    "ctip.accounts",
    "ctip.reference",
    "ctip.notifications",
    "ctip.people",
    "ctip.cases",
    "ctip.intake",
    "ctip.referrals",
    "ctip.recruitment",
    "ctip.justice",
    "ctip.attachments",
    "ctip.trustfund",
    "ctip.exports",
    "ctip.jobcheck",
    "ctip.leads",
    "ctip.stats",
    "ctip.exchange",
    "ctip.npa",
    "ctip.portal",
    "ctip.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, error pages and the early 400s included (CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ctip.core.middleware.RequestContextMiddleware",
    # NUL bytes in the path, query string or body: a 400 before sessions or anything else touch the database.
    "ctip.core.middleware.RejectControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Idle time-out from a last-activity stamp; the session is written at most once a minute, not every request.
    "ctip.accounts.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's OTPMiddleware, with the verified device read in the same query as the user and agency.
    "ctip.accounts.request_user.RequestUserMiddleware",
    "ctip.accounts.middleware.MFAEnforcementMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ctip.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ctip" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ctip.accounts.context_processors.navigation",
                "ctip.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'ctip.sqlite3'}"


def cache_from_url(url: str) -> dict:
    """CACHE_URL -> Django's cache settings. The cache holds the public pages' rate-limit counters, so several
    web processes must share it: 'redis://host:6379/1' (Redis) or 'db' (a table in the main database, created
    by `manage.py migrate`: ctip.core.signals). Empty: memory of each process (one process only: development, tests)."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ctip"}
    if url in ("db", "database"):
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ctip_cache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "ctip"}
    raise ImproperlyConfigured("CACHE_URL must be empty, 'db', or a redis:// URL.")


CACHES = {"default": cache_from_url(env("CACHE_URL", ""))}

DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # IMMEDIATE write transactions serialise writers cleanly (no "database is locked" mid-transaction),
            # WAL lets readers proceed while one writer works.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
# Read replica for reports (DATABASE_REPLICA_URL, PostgreSQL streaming replica): only aggregate figures read it,
# through ctip.core.replica.using_reports(). There is no database router: every write, every audited read and
# everything a user acts on stay on "default". In tests the alias mirrors "default" (same connection, no copy).
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the request's user with agency and header counts in one query.
    "ctip.accounts.request_user.RequestUserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failures (django-axes): an account is locked after N failures from anywhere (stops
# distributed guessing of one password) and an address after N failures on any accounts (stops spraying).
AXES_FAILURE_LIMIT = int(env("CTIP_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("CTIP_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- Trusted proxies ------------------------------------------------------------------------------
# CTIP_TRUSTED_PROXIES: comma-separated addresses or networks of the load balancers in front of the app processes.
# X-Forwarded-For is read only when the TCP peer is one of them (ctip.core.client_ip, used by the audit context,
# the public pages' rate limits, django-axes and DRF's throttles). Empty: REMOTE_ADDR only.
try:
    CTIP_TRUSTED_PROXIES = parse_trusted_proxies(env("CTIP_TRUSTED_PROXIES", ""))
except ValueError as exc:
    raise ImproperlyConfigured(str(exc)) from exc
AXES_CLIENT_IP_CALLABLE = "ctip.core.client_ip.axes_client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "password"]

OTP_TOTP_ISSUER = env("CTIP_OTP_ISSUER", "CTIP Kenya")
OTP_TOTP_THROTTLE_FACTOR = 1

# Idle session time-out: a session expires after this much idleness. Enforced by
# ctip.accounts.middleware.SessionActivityMiddleware from a last-activity stamp that is re-saved (with the cookie and
# database expiry) at most once a minute, so a request does not write the session every time.
SESSION_COOKIE_AGE = int(env("CTIP_SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- I18N -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sw", _("Kiswahili"))]
LOCALE_PATHS = [BASE_DIR / "ctip" / "locale"]
USE_I18N = True
TIME_ZONE = "Africa/Nairobi"
USE_TZ = True

# --- Static ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("CTIP_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# CTIP_SERVE_STATIC=0: the web server (nginx, the load balancer, a CDN) serves STATIC_ROOT at /static/ and the app
# processes do not (WhiteNoise is left out of the middleware). Default on: gunicorn serves them through WhiteNoise.
CTIP_SERVE_STATIC = env_bool("CTIP_SERVE_STATIC", True)
if not CTIP_SERVE_STATIC:
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")

# --- Vault and audit keys -------------------------------------------------------------------------
# CTIP_VAULT_KEYS: comma-separated "key_id:base64(32 bytes)"; the first is used to encrypt, all decrypt.
# CTIP_INDEX_KEY: base64(32 bytes), keys the blind indexes (exact look-ups) and blocking keys.
# CTIP_AUDIT_KEY: base64(32 bytes), keys the audit hash chain so it cannot be recomputed without it.
CTIP_VAULT_KEYS = env("CTIP_VAULT_KEYS", required=True)
CTIP_INDEX_KEY = env("CTIP_INDEX_KEY", required=True)
CTIP_AUDIT_KEY = env("CTIP_AUDIT_KEY", required=True)

# --- Background work ------------------------------------------------------------------------------
# TASKS_BACKEND=db (default): tasks queued in the database, run by `manage.py db_worker`.
# TASKS_BACKEND=rq: tasks queued in Redis (TASK_QUEUE_URL, e.g. redis://redis.internal:6379/2), run by any number
# of RQ workers: `manage.py rqworker --job-class django_tasks_rq.Job default`.
# CTIP_TASK_TIMEOUT_SECONDS: how long one task may run before the RQ worker kills it and marks it failed (a large
# import takes minutes; the default allows an hour). The database worker has no per-task limit.
TASKS_BACKEND = env("TASKS_BACKEND", "db")
CTIP_TASK_TIMEOUT_SECONDS = int(env("CTIP_TASK_TIMEOUT_SECONDS", "3600"))
if TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    TASK_QUEUE_URL = env("TASK_QUEUE_URL", required=True)
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": TASK_QUEUE_URL, "DEFAULT_TIMEOUT": CTIP_TASK_TIMEOUT_SECONDS}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'db' or 'rq'.")

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ctip@localhost")
# Also e-mail users when they get an in-app notification (content-free "log in to see it" messages).
CTIP_NOTIFY_EMAIL = env_bool("CTIP_NOTIFY_EMAIL", False)

# --- Recruitment integrity: the SMS short code (docs/recruitment.md) -------------------------------------
# The gateway adapter (ctip/recruitment/sms.py), its account for sending replies, and the shared secret the
# gateway's incoming-message callback must carry (?secret=... in the callback URL, or the X-CTIP-SMS-Secret
# header). With no secret set the callback answers 404: the short code is off.
CTIP_SMS_GATEWAY = env("CTIP_SMS_GATEWAY", "africastalking")
CTIP_SMS_USERNAME = env("CTIP_SMS_USERNAME", "")
CTIP_SMS_API_KEY = env("CTIP_SMS_API_KEY", "")
CTIP_SMS_CALLBACK_SECRET = env("CTIP_SMS_CALLBACK_SECRET", "")
# Messages per minute the whole short code answers before replying "busy" (a flood guard sized to the gateway
# contract; each sender is also limited to 10 an hour).
CTIP_SMS_SHORT_CODE_PER_MINUTE = int(env("CTIP_SMS_SHORT_CODE_PER_MINUTE", "6000"))

# --- List exports (ctip/exports): lists up to this many rows are written during the request, longer ones by the
# background worker with progress; files are kept sealed for their requester this many hours (`exports_expire`).
CTIP_EXPORT_INLINE_ROWS = int(env("CTIP_EXPORT_INLINE_ROWS", "2000"))
CTIP_EXPORT_KEEP_HOURS = int(env("CTIP_EXPORT_KEEP_HOURS", "24"))
# The de-identified HTCDS export (issue 14): every combination of year, sex, age band and county in a file is shared
# by at least this many rows (k-anonymity; rarer rows are generalised). docs/exchange.md.
CTIP_HTCDS_EXPORT_MIN_GROUP = int(env("CTIP_HTCDS_EXPORT_MIN_GROUP", "5"))
# Annual reports (ctip/stats): their PDF and XLSX are kept this many days, then blanked by `stats_reports_expire`.
CTIP_REPORT_KEEP_DAYS = int(env("CTIP_REPORT_KEEP_DAYS", "30"))
# The CTDC-schema differentially private synthetic export (ctip/cases/selectors/ctdc.py): its privacy budget.
CTIP_CTDC_SYNTHETIC_EPSILON = float(env("CTIP_CTDC_SYNTHETIC_EPSILON", "4.0"))
# Private files (complaint evidence): outside STATIC_ROOT and any folder a web server serves; read only through
# the app's audited views.
CTIP_PRIVATE_FILES = Path(env("CTIP_PRIVATE_FILES", str(VAR_DIR / "private")))
# Attachments on cases and persons (ctip/attachments): the largest file accepted, in bytes; files are stored
# encrypted with the vault keys under CTIP_PRIVATE_FILES/attachments.
CTIP_ATTACHMENT_MAX_BYTES = int(env("CTIP_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["ctip.core.api.IsAuthenticatedAndVerified"],
    "DEFAULT_SCHEMA_CLASS": "ctip.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "ctip.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "ctip.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "ctip.core.api.BrowsableAPIRenderer",  # DRF's, with the CSP its inline styles need
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CTIP API",
    "DESCRIPTION": (
        "Kenya's counter-trafficking information system. Authenticate with `Authorization: Token <token>` "
        "(POST /api/v1/auth/token/). Errors (every 4xx): {code, message, fields}. Lists: {results, page, has_next} "
        "with ?page=N. Times: RFC 3339 in UTC. Dates before 1900, and dates of past events in the future, are "
        "refused. A registration that may duplicate a person answers 409 possible_duplicate with the candidates."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PossibleDuplicateCodeEnum": [("possible_duplicate", "possible_duplicate")],
        "AgencyStatusEnum": "ctip.recruitment.enums.AgencyStatus",
        "PublicLanguageEnum": [("en", "en"), ("sw", "sw")],
        # the job-offer check's salary and fee currencies: one choice set
        "CurrencyEnum": "ctip.jobcheck.enums.CURRENCY_CHOICES",
        # the complaints API (issue 12)
        "ComplaintStatusEnum": "ctip.recruitment.enums.ComplaintStatus",
        "ComplaintActionKindEnum": "ctip.recruitment.enums.ComplaintActionKind",
    },
    # Swagger UI and ReDoc are served from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging: structured JSON, never identity data ------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "ctip.core.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "ctip.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # one INFO line per PDF step otherwise
        "fontTools": {"level": "WARNING"},
    },
}

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline or eval'd, so an
# injected <script> or onclick= does not run. Templates keep every script in static/ (ctip/ctip.js) and every
# style in static/ CSS; the API docs use the split Swagger view (its start-up script is a separate URL). Only DRF's
# browsable API pages also allow inline styles (ctip.core.api.BrowsableAPIRenderer). img-src allows data: images
# (Swagger UI's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
