"""Django settings for Photonix. Every value comes from :mod:`photonix.conf`; edit nothing here to
configure an installation — set ``PHOTONIX_…`` environment variables instead (docs/settings.md)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from photonix import conf, sqlite_driver
from photonix.logconfig import logging_dict
from photonix.pipeline import queues

CONFIG = conf.get()
if _problems := CONFIG.check_production():
    raise ImproperlyConfigured("Photonix will not start in production mode: " + " ".join(_problems))
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG.data_dir
UI_DIST_DIR = PACKAGE_DIR / "web" / "dist"

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(CONFIG.csrf_trusted_origins)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "photonix.core",
    "photonix.library",
    "photonix.pipeline",
    "photonix.classifiers",
    "photonix.faces",
    "photonix.albums",
    "photonix.api",
    "photonix.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "photonix.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "photonix.urls"
WSGI_APPLICATION = "photonix.wsgi.application"
AUTH_USER_MODEL = "core.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def _database(url: str) -> dict[str, Any]:
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # sqlite-vec (smart search) is a loadable extension.
        sqlite_driver.loadable()
        db["CONN_MAX_AGE"] = 0
        db["CONN_HEALTH_CHECKS"] = False
        # WAL lets the web server read while a worker writes; IMMEDIATE transactions take the
        # write lock up front so concurrent writers wait (timeout) instead of failing mid-way.
        db["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # A file, not memory: tests that start real workers share the test database with them.
        db["TEST"] = {"NAME": str(DATA_DIR / "test-photonix.sqlite3")}
    return db


DATABASES = {"default": _database(CONFIG.database_url)}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Nothing is collected there (see below); it exists so that WhiteNoise, which also serves
# STATIC_ROOT, has a folder to read when debug is off.
STATIC_ROOT = DATA_DIR / "static"
with contextlib.suppress(OSError):  # a command run by someone who may not write there
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [UI_DIST_DIR] if UI_DIST_DIR.is_dir() else []
# Serve straight from the finders: no collectstatic step between a UI build and a start.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent only on HTTPS requests (as the TLS proxy reports them). includeSubDomains and preload are
# the domain owner's decisions, not an application's: Photonix often lives on one subdomain of a
# home domain whose other hosts may not speak HTTPS. Their --deploy warnings are silenced below.
SECURE_HSTS_SECONDS = CONFIG.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
if CONFIG.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Production means HTTPS (the cookies above are never sent over plain HTTP). Monitors may
    # still probe the health endpoint over HTTP inside the network.
    SECURE_SSL_REDIRECT = CONFIG.ssl_redirect
    SECURE_REDIRECT_EXEMPT = [r"^api/health$"]

# Sign-in lockout (photonix.core.auth): counters in the default cache.
PHOTONIX_LOGIN_MAX_FAILURES = CONFIG.login_max_failures
PHOTONIX_LOGIN_MAX_FAILURES_PER_IP = CONFIG.login_max_failures_per_ip
PHOTONIX_LOGIN_LOCKOUT_MINUTES = CONFIG.login_lockout_minutes
# How recently a session's password must have been entered to manage accounts and roles.
PHOTONIX_RECENT_PASSWORD_MINUTES = CONFIG.recent_password_minutes
PHOTONIX_MAP_TILE_URL = CONFIG.map_tile_url
PHOTONIX_MAP_ATTRIBUTION = CONFIG.map_attribution
# Anonymous GET /api/health per client address (photonix.core.api.HealthThrottle).
PHOTONIX_HEALTH_RATE = CONFIG.health_rate
PHOTONIX_UPLOAD_MAX_BYTES = CONFIG.upload_max_mb * 1024 * 1024
PHOTONIX_UPLOAD_QUOTA_BYTES = CONFIG.upload_quota_mb * 1024 * 1024
PHOTONIX_UPLOAD_EXPIRY_HOURS = CONFIG.upload_expiry_hours
# Single sign-on with OpenID Connect (photonix.core.oidc); off while the issuer is empty.
PHOTONIX_OIDC = CONFIG.oidc

_RENDERERS = ["rest_framework.renderers.JSONRenderer"]
if DEBUG:
    _RENDERERS.append("rest_framework.renderers.BrowsableAPIRenderer")

REST_FRAMEWORK = {
    # The token class comes first: its WWW-Authenticate header makes DRF answer 401 (not 403)
    # to requests without valid credentials. Without an Authorization header, the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "photonix.core.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": _RENDERERS,
    "DEFAULT_PARSER_CLASSES": ["photonix.core.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {"login": "10/minute"},
    # Domain errors (photonix.core.errors) answered by their category, as well as DRF's own.
    "EXCEPTION_HANDLER": "photonix.core.http.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Photonix API",
    "DESCRIPTION": "The HTTP API of Photonix, a self-hosted photo manager.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api",
    # Owner, editor, viewer: one enum whatever the field is called (role, my_role).
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "photonix.albums.models.AlbumMember.Role",
        # Tags and faces both have a "verdict", with different choices.
        "TagVerdictEnum": "photonix.classifiers.models.PhotoTag.Verdict",
        "FaceVerdictEnum": "photonix.faces.models.Face.Verdict",
        # A file's kind, on files and on the jobs naming their photo's file.
        "FileKindEnum": "photonix.library.models.PhotoFile.Kind",
    },
}

# Celery: the broker is Redis (or the embedded Valkey), results live there too.
CELERY_BROKER_URL = CONFIG.broker_url
CELERY_RESULT_BACKEND = CONFIG.broker_url
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 1_000_000  # KiB: a child above 1 GB is replaced
CELERY_WORKER_CONCURRENCY = CONFIG.worker_concurrency
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_TASK_TRACK_STARTED = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message delivered to a worker stays in the broker's "unacked" set until the task finishes
# (acks_late). When the worker's host dies, the message goes back to its queue once it has been
# unacknowledged for visibility_timeout seconds; every live worker sweeps for such messages every
# few seconds. It must exceed the hard time limit plus the longest retry countdown (~32 s): a
# task still running (or waiting for its countdown) past it would be delivered a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CONFIG.visibility_timeout,
    "unacked_restore_interval": max(1, min(60, CONFIG.visibility_timeout // 5)),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = queues.CELERY_QUEUES
CELERY_TASK_ROUTES = queues.CELERY_TASK_ROUTES
CELERY_BEAT_SCHEDULE: dict[str, Any] = {
    "purge-missing-files": {"task": "photonix.library.purge_missing", "schedule": 3600.0},
    "reconcile-pipeline": {"task": "photonix.pipeline.reconcile", "schedule": 300.0},
    "prune-job-records": {"task": "photonix.pipeline.prune_jobs", "schedule": 24 * 3600.0},
    # Only libraries whose faces changed (a Redis set): an idle installation makes no query.
    "recluster-faces": {"task": "photonix.faces.recluster", "schedule": 300.0},
    # Uploads left incomplete past their expiry: their rows and partial files.
    "expire-uploads": {"task": "photonix.library.expire_uploads", "schedule": 3600.0},
    # Photos in the trash for more than PHOTONIX_TRASH_DAYS days are deleted (docs/curate.md).
    "empty-trash": {"task": "photonix.library.empty_trash", "schedule": 24 * 3600.0},
}
if CONFIG.rescan_minutes:
    CELERY_BEAT_SCHEDULE["rescan-library-folders"] = {
        "task": "photonix.library.rescan_all",
        "schedule": CONFIG.rescan_minutes * 60.0,
    }
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# Caches, in the broker's Redis: the same server Celery uses, so nothing new to run, and shared by
# every web process (a per-process cache would let each gunicorn worker count sign-in failures
# and share-password attempts on its own). ``redis+socket://`` is kombu's spelling of
# ``unix://``. Never call ``cache.clear()``: on Redis it empties the broker's database.
# ``default`` holds the sign-in lockout and DRF's throttles, which tolerate an outage
# (docs/security.md); ``shares`` the share-password attempts (docs/albums.md).
_REDIS_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": (
        "unix://" + CONFIG.broker_url.removeprefix("redis+socket://")
        if CONFIG.broker_url.startswith("redis+socket://")
        else CONFIG.broker_url
    ),
    "KEY_PREFIX": "photonix-cache",
    "TIMEOUT": 300,
    "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
}
CACHES = {"default": _REDIS_CACHE, "shares": _REDIS_CACHE}

# Photos unfinished and untouched this long, while the broker holds no work, were lost by it.
PHOTONIX_RECONCILE_AFTER_MINUTES = CONFIG.reconcile_after_minutes
PHOTONIX_MAX_FOLDER_DEPTH = CONFIG.max_folder_depth
PHOTONIX_TRASH_DAYS = CONFIG.trash_days
# People are grouped once a library's faces settle: this many seconds after the last faces were
# stored, and no later than the max after the first (docs/faces.md).
PHOTONIX_FACES_GROUP_DELAY = CONFIG.faces_group_delay
PHOTONIX_FACES_GROUP_MAX_DELAY = CONFIG.faces_group_max_delay

PHOTONIX_FLOWER_URL = CONFIG.flower_url
PHOTONIX_SENDFILE = CONFIG.sendfile
PHOTONIX_ACCEL_PREFIX = CONFIG.accel_prefix

LOGGING = logging_dict(CONFIG)
