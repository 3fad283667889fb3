"""SIKAP settings, read from the environment (django-environ).

With nothing set, SIKAP runs in development mode: SQLite in the project folder,
Celery tasks executed in-process, e-mail to the console. Production is switched on
with ``DJANGO_DEBUG=0`` plus the variables documented in README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is optional; the real environment always wins.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    # No default: production must never run with a known key or open hosts.
    SECRET_KEY = env("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "accounts",
    "appraisal",
    "surveys",
    "reports",
    "talenta",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sikap.middleware.RejectNulMiddleware",
]

ROOT_URLCONF = "sikap.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "sikap.wsgi.application"

# --- Database -------------------------------------------------------------
# DATABASE_URL=postgres://user@host:5432/name switches to PostgreSQL (psycopg2).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
# Re-check a persistent connection before use, so a PostgreSQL restart is survived.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a seed or task writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the dashboards' grouped queries on every request: measured at 100 000
    # employees it cost 1.2 s of a 1.6 s query (bench/README.md). Short OLTP-style queries gain
    # nothing from it, so it is off unless DATABASE_JIT=on.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    if not env.bool("DATABASE_JIT", default=False):
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # A page's object with its relations (select_related: an SKP with its year, post, unit and
    # people is eleven tables) cost PostgreSQL 5.5 ms of planning per query with its default
    # join_collapse_limit of 8, against 1.3 ms at 4 and 0.4 ms to run it (bench/README.md).
    # SIKAP's grouped reporting queries join fewer tables than that, so their plans do not change.
    collapse = env.int("DATABASE_JOIN_COLLAPSE_LIMIT", default=4)
    options["options"] = f"{options.get('options', '')} -c join_collapse_limit={collapse}".strip()

# The cache holds read-mostly figures (sikap.caching: the HR dashboard's, the public survey's
# channels). One per process by default; several web processes share one with
# CACHE_URL=redis://127.0.0.1:6379/1, so that a figure is computed once and a change forgets it
# everywhere. A cache that is down costs queries, never a page (sikap.caching falls back).
CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Always in the process, never shared: small values read on every request, where a round trip
    # to Redis would cost more than it saves (the public survey's channels, surveys.channels).
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sikap-local"},
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Fail fast when Redis is unreachable rather than hold a request for the OS's TCP timeout.
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 0.5, "socket_timeout": 0.5})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Login lockout (django-axes) ----------------------------------------------------
# Five wrong passwords for one NIP/username from one IP address lock that pair for 30 minutes
# (issue 9). Locking the pair, not the IP alone, keeps one office behind a shared NAT working
# while someone guesses a colleague's password. The backend must come first and needs the
# request, which Django's AuthenticationForm (our LoginForm) passes; the middleware goes last.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes_lockout.html"

# --- Content-Security-Policy (django-csp 4) ------------------------------------------
# Issue 9: only our own scripts and stylesheets run. No template holds an inline script or
# event handler: behaviour lives in static/js/ and is wired by data attributes; data goes to
# scripts as {{ x|json_script }} blocks (type application/json, never executed). htmx is told
# (meta htmx-config in base.html) not to inject its indicator <style> and not to eval hx-on.
# Trade-off: style *attributes* stay allowed (style-src-attr), because progress bars and
# tree indents carry their computed width inline; an attribute can neither run script nor
# load anything outside img-src/font-src, while <style> elements and stylesheets stay 'self'.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "style-src-elem": [csp.SELF],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Off: years and ids must not print as "2.026"; counts use |intcomma where grouping helps.
USE_THOUSAND_SEPARATOR = False

# --- Static and uploaded files ---------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Uploads (bukti dukung) live outside the static tree and are served only by access-checked views.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In development WhiteNoise serves straight from the app and static folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery -----------------------------------------------------------------
# No broker configured: tasks run eagerly in the web process (development, tests).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="SIKAP <noreply@sikap.local>")

# --- Production hardening ---------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# --- Faults (issue 9 item 5) ----------------------------------------------------------
# ops: the task outbox (work queued while Redis is down is sent when it returns) and the
# sikap_backup / sikap_restore commands.
INSTALLED_APPS += ["ops"]
# A worker killed mid-task (OOM, SIGKILL, a lost machine) leaves its message unacknowledged:
# with acks_late (above) Redis hands it to another worker after the visibility timeout, and a
# pool child that dies makes its worker requeue the task at once. Every task is safe to rerun.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Must exceed the longest task (CELERY_TASK_TIME_LIMIT), or a slow task is delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)}
# A worker started while Redis is down waits for it instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
