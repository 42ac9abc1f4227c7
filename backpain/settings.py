"""
Settings for Back Pain Advisor, read from environment variables.

Development defaults are safe and need nothing installed: SQLite, a local
memory cache and the console email backend. Production (DJANGO_DEBUG unset)
refuses to start without a real secret key. The README lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

# Development key: public on purpose, so production must never use it.
DEVELOPMENT_SECRET_KEY = "django-insecure-backpain-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when DJANGO_DEBUG is off. "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )
# Old keys still accepted for signatures, so a key can rotate without signing everyone out.
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
# Loopback only by default: a deployment names its own hosts, never "*".
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or LOOPBACK_HOSTS
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# HTTPS is on whenever debug is off; DJANGO_HTTPS=0 serves production settings
# over plain HTTP, which is only allowed on loopback (load tests, benchmarks).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
if not DEBUG and not HTTPS and any(host not in LOOPBACK_HOSTS for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured("DJANGO_HTTPS=0 is only allowed when DJANGO_ALLOWED_HOSTS is loopback only.")

INSTALLED_APPS = [
    "backpain.apps.EditorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "backpain.apps.StaticFilesConfig",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "backpain.apps.BackpainConfig",
    "articles",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "backpain.csp.PrecomputedCSPMiddleware",  # django-csp's, with the unchanging header built once
    # Before anything that could read a body (sessions, CSRF, forms); after the three above, which only add
    # headers, so the 413 page carries them too.
    "backpain.request_size.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages for anonymous readers, before the costly rest (sessions, CSRF, auth, OTP, messages,
    # history, axes); after the header-only ones above, so a cached page carries exactly their headers.
    "backpain.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The admin's larger upload limit only for signed-in staff; before any view (and the CSRF check) reads a body.
    "backpain.request_size.StaffBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backpain.urls"
WSGI_APPLICATION = "backpain.wsgi.application"

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
                "articles.context_processors.site",
                "backpain.antispam.csrf",  # after Django's own: the CSRF token as a per-visitor value
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections with health checks: cheaper requests, survives a database restart.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Keep each worker's connection: opening one and setting WAL costs more than most pages' queries.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait
                # (busy timeout) instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # WAL lets readers carry on while one writer writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Where `manage.py backup_site` writes; outside the project in production, ideally on another disk.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", str(BASE_DIR / "backups")))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Sites sharing one Redis need different prefixes; instances of one site share theirs.
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_KEY_PREFIX", "backpain"),
            "OPTIONS": {
                # A Redis outage degrades to cache misses instead of 500s.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "backpain"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/London")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names and pre-compressed (gzip and brotli) copies, served with far-future headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
# Request bodies over these get 413 before anything reads them (backpain/request_size.py). Public forms: a
# pasted 100,000-character text still reaches the form and hears what is wrong; the largest real one is 60 KB.
MAX_ANON_BODY_BYTES = int(os.environ.get("DJANGO_MAX_ANON_BODY_BYTES", str(512 * 1024)))
# The admin, past its sign-in page: a stretch's video, captions and picture in one form.
MAX_ADMIN_BODY_BYTES = int(os.environ.get("DJANGO_MAX_ADMIN_BODY_BYTES", str(100 * 1024 * 1024)))
# Form fields other than files: the largest admin page's many times over. Files over 2 MB go to a temporary
# file rather than memory (both are Django's defaults rounded down, written here so they are seen).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Editors sign in with a password and a one-time code from an authenticator app (off for local development).
ADMIN_REQUIRE_2FA = env_bool("DJANGO_ADMIN_2FA", not DEBUG)
OTP_TOTP_ISSUER = "Back Pain Advisor"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out username and address never reach the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Addresses of the proxy in front of gunicorn; only they may name the client in X-Forwarded-For.
TRUSTED_PROXY_IPS = set(env_list("DJANGO_TRUSTED_PROXY_IPS", "127.0.0.1,::1"))
AXES_FAILURE_LIMIT = 5
# Lock the pair, so an attacker cannot lock an editor out from elsewhere by guessing their username.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOCKOUT_HOURS", "1"))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "backpain.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False
# What django-axes writes down about a sign-in: never a typed password or one-time code, nor the form's token.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "otp_token",
    "otp_device",
    "otp_challenge",
    "csrfmiddlewaretoken",
]
# No second table of failures kept for ever: the lockout's own records (purged after
# SIGN_IN_RECORD_RETENTION_DAYS) are all it needs.
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    # Seconds the worker waits on a silent mail server before counting the try as failed (it never blocks a page).
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Back Pain Advisor <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where notifications for editors go (new comments, contact messages, reviews due).
EDITORS_EMAILS = env_list("EDITORS_EMAILS", "editors@localhost")
# No mail is sent inside a request: it is written to the outbox and queued in the database, and
# `manage.py db_worker` sends it (backpain/mail.py), so a slow or hung mail server costs a reader nothing.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds to wait before each new try after a failed send; one try more than there are delays, then the
# email is marked failed for editors to see in the admin's mail outbox. The default spans about 8.5 hours.
MAIL_RETRY_DELAYS = [int(seconds) for seconds in env_list("MAIL_RETRY_DELAYS", "60,300,1800,7200,21600")]
# Sent and failed emails (copies of what readers wrote among them) are deleted from the outbox after this.
MAIL_RETENTION_DAYS = 30

if HTTPS:
    # Behind one proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The health check must answer the load balancer over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form with a stale security token gets a page in the site's look, not Django's bare 403.
CSRF_FAILURE_VIEW = "backpain.views.csrf_failure"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp 4): our own files only; no inline script or style anywhere.
# The one third party is the video player, framed only after a reader clicks to load it.
VIDEO_FRAME_SOURCES = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": VIDEO_FRAME_SOURCES,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Readers' comments (articles app). Limits are per visitor (a keyed hash of the address), kept in the database
# so they hold across gunicorn workers and instances.
COMMENTS_PER_PAGE = 20
COMMENT_RATE_LIMIT = int(os.environ.get("COMMENT_RATE_LIMIT", "10"))  # comments per visitor per hour
COMMENT_REPORT_RATE_LIMIT = int(os.environ.get("COMMENT_REPORT_RATE_LIMIT", "20"))  # reports per visitor per hour
COMMENT_REPORTS_TO_HIDE = 3  # reports from different visitors that send an approved comment back to the queue
COMMENT_MIN_FILL_SECONDS = int(os.environ.get("COMMENT_MIN_FILL_SECONDS", "3"))  # faster than a person can write
COMMENT_FORM_MAX_AGE = 2 * 60 * 60  # seconds a served form stays valid, so old pages cannot be replayed for ever
COMMENT_MAX_REQUEST_BYTES = 64 * 1024  # a full 3,000-character comment in any script fits with room to spare
COMMENT_RETENTION_DAYS = 90  # rejected and unanswered pending comments are purged after this (privacy page)
# Site search (backpain/search.py): searches per visitor per rate-limit window; more get a 429 page.
SEARCH_RATE_LIMIT = int(os.environ.get("SEARCH_RATE_LIMIT", "300"))

# How long the site keeps what people leave behind: `manage.py purge_expired`, run daily, deletes each kind
# when its time is up (backpain/retention.py), and the privacy page quotes these very numbers.
RESULT_RETENTION_DAYS = 365  # saved self-check results
CONTACT_MESSAGE_RETENTION_DAYS = 365  # long enough to answer a follow-up about an old message
COMMENT_HASH_RETENTION_DAYS = 30  # the keyed address hash on comments and reports: abuse shows within weeks
RATE_LIMIT_WINDOW_MINUTES = 60  # every per-visitor limit counts in this window; its record goes once it closes
SIGN_IN_RECORD_RETENTION_DAYS = 30  # django-axes' records of sign-ins and failed sign-ins
# Django's default, written out because the privacy page tells readers how long the session cookie lasts.
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
# Django's database sessions, read in plain SQL (backpain/sessions.py).
SESSION_ENGINE = "backpain.sessions"

SITE_NAME = "Back Pain Advisor"
# Absolute base for links in emails and feeds when there is no request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A self-check result's token is its key: never write one down (404 warnings and the development
    # server's request lines name the path), so every handler hides it (backpain/logs.py).
    "filters": {"hide_result_tokens": {"()": "backpain.logs.RedactResultTokens"}},
    "formatters": {
        "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["hide_result_tokens"]},
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["hide_result_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Django's own handlers for these would print before the filter runs; ours take their place.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
