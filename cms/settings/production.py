"""Production: every secret comes from the environment; refuses to start without one."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# --- Production stack: app server, cache, tasks, mail, logs (ops/) -------------------------------
# Everything from the environment; .env.example lists each variable.
import os  # noqa: E402

import dj_email_url  # noqa: E402

from ops.logs import logging_config, sentry_init  # noqa: E402

if not CACHE_URL and os.environ.get("ALLOW_LOCAL_CACHE") != "1":  # noqa: F405
    # With several processes a per-process cache serves stale public pages after a write.
    raise ImproperlyConfigured("Set REDIS_URL (or CACHE_URL) to the shared Redis cache.")
if os.environ.get("TASK_BACKEND", "database") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Static files: compressed and content-hashed by `collectstatic`, served by WhiteNoise with
# far-future cache headers (no separate static server needed behind the load balancer).
MIDDLEWARE = [  # noqa: F405
    MIDDLEWARE[0],  # noqa: F405 - SecurityMiddleware first
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail: EMAIL_URL (smtp://user:password@host:587/?tls=True) or the separate EMAIL_* variables.
if os.environ.get("EMAIL_URL"):
    globals().update(dj_email_url.parse(os.environ["EMAIL_URL"]))
else:
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "partnerbase@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"))
sentry_init(os.environ.get("SENTRY_DSN", ""), environment=os.environ.get("SENTRY_ENV", "prod"))
# --- end of the production stack block ----------------------------------------------------------
# --- Transport and cookie security (`manage.py check --deploy` passes with zero warnings) ------
DEBUG = False  # never on outside cms.settings.dev
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"  # noqa: F405
# Load balancers probe the app servers over plain HTTP inside the network; a redirect to https
# would make every probe fail.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# HSTS: a year by default; set SECURE_HSTS_SECONDS=0 only while first trying HTTPS out.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"  # noqa: F405
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "1") == "1"  # noqa: F405
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
