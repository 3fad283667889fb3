"""Settings for the benchmarks: production mode (DEBUG off, persistent connections, no query
log) over plain HTTP on 127.0.0.1, the trivial view of bench/urls.py, and the SKM client address
read from X-Forwarded-For so that distinct load-generator clients count as distinct citizens."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "60")

from sikap.settings import *  # noqa: E402,F403
from sikap.settings import STORAGES  # noqa: E402

BENCH = True
ROOT_URLCONF = "bench.urls"
# The load generator speaks plain HTTP to gunicorn: no TLS-only cookies, no HSTS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic step before a benchmark: serve static files from the source folders.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
# Behind a proxy this names the header it overwrites; the burst sets one address per client.
SURVEY_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
