"""Settings for the commitment tracker, read from the environment.

Every value has a typed default that is safe for production; `make run` sets
DEBUG=true for local use. See `.env.example` for the variables.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: never used with DEBUG off.
    SECRET_KEY = "django-insecure-development-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tables2",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "axes",
    "commitments",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer before host checks, redirects and sessions.
    "delivery.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: which database this request reads (replica or primary), then its
    # validators and cache headers, and a 304 or a kept page before anything else runs.
    "delivery.replicas.ReplicaRoutingMiddleware",
    "delivery.http.HttpCachingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware: picks the language from the /fr/ prefix.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "commitments.admin.middleware.RejectNulBytesInAdminMiddleware",
    # The admin in the language its switch chose (LocaleMiddleware keeps unprefixed pages English).
    "commitments.admin.middleware.AdminLanguageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks each login attempt before Django's own backend does.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

# SQLite is the zero-set-up default; DATABASE_URL=postgres://... selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Read replicas (PostgreSQL hot standbys): anonymous reads go to them, writes and every
# signed-in request to the primary (delivery/replicas.py). A replica lagging more than
# REPLICA_MAX_LAG_SECONDS behind, or unreachable, is skipped for REPLICA_CHECK_SECONDS; a
# client that wrote reads from the primary for REPLICA_PIN_SECONDS (read-your-writes).
REPLICA_ALIASES = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    alias = f"replica_{number}"
    DATABASES[alias] = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if DATABASES[alias]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[alias]["OPTIONS"] = {"connect_timeout": 2}
    DATABASES[alias]["TEST"] = {"MIRROR": "default"}
    REPLICA_ALIASES.append(alias)
DATABASE_ROUTERS = ["delivery.replicas.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "2"))
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "30"))
REPLICA_PIN_COOKIE = "tracker_primary"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as an embedded database that serves several workers: readers never wait for
    # the writer (WAL); a transaction takes the write lock when it begins (IMMEDIATE), so
    # two saves queue (for up to SQLITE_BUSY_TIMEOUT seconds) instead of one failing with
    # "database is locked" half-way; the loser then meets the conflict form. Every commit
    # is flushed to disk (synchronous=FULL): a save the admin acknowledged survives a power
    # cut too, not only a crash of the process. WAL needs the file on a local disk.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English pages are unprefixed, French ones under /fr/ (tracker/urls.py).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
# Dates as the public site writes them ("19 March 2018"), in the admin too.
FORMAT_MODULE_PATH = ["commitments.admin.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Data releases' files (the default storage; never served from here directly: /data/releases/ reads them).
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A commitment's admin page at every inline's cap (50 quote links, criteria and restatements,
# commitments/admin/common.py) posts about 1,000 fields, plus two per past status update:
# room for 500 of those. Forms are capped per inline; this only bounds parsing.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# The largest document file an analyst may bring in (admin upload or manage.py
# ingest_document). A proxy in front has its own body limit (nginx: client_max_body_size,
# 1 MB by default): set it a little above this one, or uploads fail there first.
DOCUMENT_UPLOAD_MAX_BYTES = int(os.environ.get("DOCUMENT_UPLOAD_MAX_BYTES", str(25 * 1024 * 1024)))

# Public pages: django-tables2 renders semantic tables with our own template.
DJANGO_TABLES2_TEMPLATE = "commitments/table.html"

# The public API is read-only and anonymous: no sessions, so no CSRF surface.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "COERCE_DECIMAL_TO_STRING": False,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Commitment Tracker API",
    "DESCRIPTION": "Canada's commitments on the Responsibility to Protect, the quotes they rest on, "
    "and their status history. Read-only; drafts are never included.",
    "VERSION": "1",
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "commitments.models.DatePrecision",
        "StatusEnum": "commitments.models.Status",
        "DocumentKindEnum": "commitments.models.DocumentKind",
        "RestatementKindEnum": "commitments.models.RestatementKind",
        "StatementKindEnum": "commitments.models.StatementKind",
        "ProgressStageEnum": "commitments.models.ProgressStage",
        "DateBasisEnum": "commitments.models.DateBasis",
    },
}

# The public address, for links in files written outside a request (manage.py export_data).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# The cache: with REDIS_URL, Redis, shared by every worker and server (docs/scaling.md);
# without it, each worker's own memory (nothing to set up). Downloads, whole public pages and
# fragments are kept there under the public data's version (commitments/exports/cache.py).
# Short socket timeouts: a Redis that stopped answering costs a request half a second, once;
# the cache is then left alone for CACHE_RETRY_SECONDS and pages are written afresh.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tracker",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 500}}}
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))
# How long an entry is kept at most (its key already changes with the data, the day and the code).
CACHE_SECONDS = int(os.environ.get("CACHE_SECONDS", "3600"))
# The largest download or page kept, in bytes; 0 keeps nothing (every request written afresh).
CACHE_MAX_ITEM_BYTES = int(os.environ.get("CACHE_MAX_ITEM_BYTES", 8 * 2**20))

# HTTP caching (delivery/http.py): what anonymous readers' public responses say to browsers,
# proxies and CDNs; signed-in staff always get "private, no-store".
HTTP_CACHE_CONTROL = os.environ.get("HTTP_CACHE_CONTROL", "public, max-age=60, stale-while-revalidate=300")
# Paths never given validators nor shared-cache headers (the analysts' side).
HTTP_CACHE_EXCLUDED_PATHS = ("/admin/",)

# An undertaking whose latest assessment is older than this many days (and not final) is
# shown as "assessment due" on its page, in the table's filter and on the dashboard.
ASSESSMENT_MAX_AGE_DAYS = int(os.environ.get("ASSESSMENT_MAX_AGE_DAYS", 2 * 365))

# The licence of the tracker's own compilation; source documents keep their publishers' terms.
# The default is in the French catalogue (pages show it with gettext); one set in the
# environment is shown as written.
DATA_LICENCE = os.environ.get(
    "DATA_LICENCE",
    gettext_noop(
        "Compiled data: Creative Commons Attribution 4.0 (CC BY 4.0). Attribute “Commitment Tracker”. "
        "Quoted documents remain under their publishers' terms (Government of Canada, United Nations)."
    ),
)

# Production hardening; each can be relaxed through the environment for local use.
# Behind a TLS-terminating proxy (the supported deployment) X-Forwarded-Proto says whether the
# reader used HTTPS; a deployment without such a proxy must turn this off, or clients could claim it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", True) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Only adds the directive; joining the browsers' preload list is a separate, manual step.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing inline and nothing from another origin, on every page
# (the admin included). Scripts and styles live in static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

# Admin sign-in: after AXES_FAILURE_LIMIT failures for one user from one address, that pair is
# locked out for AXES_COOLOFF_HOURS, or until an editor deletes the attempt in the admin
# ("Access attempts") or runs `manage.py axes_reset_username USERNAME`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A failure while locked out is refused without being recorded: otherwise each one appends
# its request's data (up to 2 KiB) to the same stored attempt, without end. The lock then
# lasts AXES_COOLOFF_HOURS from the failure that set it, however often the client retries.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The proxies in front that append to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for):
# 0 (unset) when clients connect to gunicorn directly, 1 for nginx in front, 2 for a load
# balancer then nginx. The lockout counts against the address the outermost of them saw
# (commitments/admin/signin.py); never more than there are, or clients choose their address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT") or 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "commitments.admin.signin.client_address"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes announces itself at INFO on every start; failures and lockouts are WARNINGs.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Readers' suggestions (/commitments/<slug>/suggest/) each address may send in an hour, counted
# in Django's cache: per worker with the default local-memory cache, shared with a shared one.
SUGGESTIONS_PER_HOUR = int(os.environ.get("SUGGESTIONS_PER_HOUR", "5"))

# The fonts of a commitment's share card (/commitments/<slug>/card.png; Debian's fonts-dejavu-core).
# Without them the card is drawn in Pillow's own font.
CARD_FONT = os.environ.get("CARD_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CARD_FONT_BOLD = os.environ.get("CARD_FONT_BOLD", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
