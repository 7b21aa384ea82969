"""Settings from the environment, with safe development defaults.

SQLite file by default (one command runs everything); PostgreSQL when DATABASE_URL is set.
Deployment settings (secret key, hosts, HTTPS, a real task queue) are described in docs/deploy.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parents[2]
VAR = Path(os.environ.get("PRONGSAI_VAR", ROOT / "var"))
VAR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value not in ("0", "1", "true", "false", "True", "False"):
        raise ValueError(f"{name} must be 0/1/true/false, not {value!r}")
    return value in ("1", "true", "True")


# Secure by default: debug (tracebacks to the browser, the development secret key) only where it
# is asked for, as `make run` does; the test suite's settings (tests/settings.py) ask too.
DEBUG = env_bool("PRONGSAI_DEBUG", False)
SECRET_KEY = os.environ.get("PRONGSAI_SECRET_KEY") or ("dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("PRONGSAI_SECRET_KEY must be set when PRONGSAI_DEBUG is off")
ALLOWED_HOSTS = os.environ.get("PRONGSAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("PRONGSAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "prongsai.web.agencies",
    "prongsai.web.cycle",
    "prongsai.web.pages",
    "prongsai.web.api",
    "prongsai.web.oversight",
    "prongsai.web.public",
    "prongsai.web.imports",
    "prongsai.web.notify",
    "prongsai.web.housekeeping",
    "prongsai.web.demo",
]

MIDDLEWARE = [
    # Refuses an over-size body by its Content-Length before anything reads it (413).
    "prongsai.web.housekeeping.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "prongsai.web.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "prongsai.web.sessions.RenewIdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prongsai.web.urls"
WSGI_APPLICATION = "prongsai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "prongsai.web.pages.context.site",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR / 'prongsai.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several writers (web and task worker) on one file: wait instead of failing, write-ahead log.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("PRONGSAI_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "pages/locked_out.html"  # Thai, in the site's layout (axes has no Thai)
# Behind a reverse proxy the client address is in X-Forwarded-For; without this every user would
# share the proxy's address and anyone could lock out any username (docs/deploy.md).
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PRONGSAI_PROXY_COUNT", "0")) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
# The link checker refuses private and loopback addresses (SSRF) unless this is on.
PRONGSAI_LINKCHECK_ALLOW_PRIVATE = env_bool("PRONGSAI_LINKCHECK_ALLOW_PRIVATE", False)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Password rules: Django's validators with Thai messages (prongsai/web/agencies/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "prongsai.web.agencies.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "prongsai.web.agencies.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "prongsai.web.agencies.passwords.CommonPasswordValidator"},
    {"NAME": "prongsai.web.agencies.passwords.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day
# An API token works this many days unless its creator chooses otherwise (at most a year).
PRONGSAI_API_TOKEN_DAYS = int(os.environ.get("PRONGSAI_API_TOKEN_DAYS", "90"))
# An editor's invitation link works this many days (prongsai/web/agencies/invitations.py).
PRONGSAI_INVITATION_DAYS = int(os.environ.get("PRONGSAI_INVITATION_DAYS", "7"))

# E-mail (notifications, digests, password resets, invitations): printed on the console in
# development, SMTP in deployment (docs/deploy.md). Links in e-mails sent by tasks (events, the
# daily digest) start with PRONGSAI_SITE_URL.
PRONGSAI_SITE_URL = os.environ.get("PRONGSAI_SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = os.environ.get(
    "PRONGSAI_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("PRONGSAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("PRONGSAI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("PRONGSAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PRONGSAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PRONGSAI_EMAIL_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("PRONGSAI_EMAIL_SSL", False)  # implicit TLS, usually port 465
EMAIL_TIMEOUT = int(os.environ.get("PRONGSAI_EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("PRONGSAI_EMAIL_FROM", "Prongsai <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).parent / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR / "static"
STATICFILES_DIRS = [Path(__file__).parent / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("PRONGSAI_MEDIA_ROOT", VAR / "media"))
# Evidence uploads: checked by content, not by name (prongsai/web/cycle/uploads.py).
EVIDENCE_MAX_BYTES = int(os.environ.get("PRONGSAI_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields besides files
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # larger uploads go to a temporary file ...
# ... in a folder of our own, so the daily cleanup knows what to sweep (a killed request leaves
# its temporary file behind).
FILE_UPLOAD_TEMP_DIR = VAR / "tmp" / "uploads"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
# A request body larger than this is refused by its Content-Length before Django reads it
# (prongsai/web/housekeeping/middleware.py); the proxy's client_max_body_size matches it.
PRONGSAI_MAX_REQUEST_BYTES = int(os.environ.get("PRONGSAI_MAX_REQUEST_BYTES", str(100 * 1024 * 1024)))
# Storage each agency may use: its evidence files plus the uploaded files kept with its imports.
PRONGSAI_AGENCY_QUOTA_BYTES = int(os.environ.get("PRONGSAI_AGENCY_QUOTA_BYTES", str(2 * 1024**3)))
# Retention, applied by `manage.py cleanup` (daily; docs/deploy.md), in days unless named.
PRONGSAI_RETENTION = {
    # a failed report import's uploaded bytes and text
    "failed_import_days": int(os.environ.get("PRONGSAI_RETAIN_FAILED_IMPORT_DAYS", "7")),
    # a draft read but never accepted: expires (หมดอายุ), its bytes, text and draft dropped
    "draft_import_days": int(os.environ.get("PRONGSAI_RETAIN_DRAFT_IMPORT_DAYS", "30")),
    # an accepted import keeps what undo needs (snapshot, draft, text) but not the uploaded bytes
    "accepted_import_days": int(os.environ.get("PRONGSAI_RETAIN_ACCEPTED_IMPORT_DAYS", "90")),
    # a stored file no row names (evidence, emblems) is removed once this old
    "orphan_file_hours": int(os.environ.get("PRONGSAI_RETAIN_ORPHAN_FILE_HOURS", "24")),
    # temporary upload files left by requests that were killed
    "temp_upload_hours": int(os.environ.get("PRONGSAI_RETAIN_TEMP_UPLOAD_HOURS", "1")),
}

# Background work through Django's task API (django-tasks backport on 5.2): queued in the database
# (django-tasks-db) and run by `manage.py db_worker`, never inside a request. `make run` starts a
# worker beside the development server; the test suite runs tasks at once (tests/settings.py).
TASKS = {"default": {"BACKEND": os.environ.get("PRONGSAI_TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

SESSION_COOKIE_HTTPONLY = True
# Signed out after two hours without a request (activity renews the session: prongsai/web/
# sessions.py), not 14 days: offices share computers. PRONGSAI_SESSION_IDLE_SECONDS changes it.
SESSION_COOKIE_AGE = int(os.environ.get("PRONGSAI_SESSION_IDLE_SECONDS", str(2 * 60 * 60)))
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less header set in base.html
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("PRONGSAI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PRONGSAI_LOG_LEVEL", "WARNING")},
    # What the daily cleanup removed is always logged (prongsai/web/housekeeping/cleanup.py).
    "loggers": {"prongsai.housekeeping": {"level": "INFO"}},
}
