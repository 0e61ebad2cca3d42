"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "cms",
    "crm",
    "bots",
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite is the embedded default; DATABASE_URL (postgres://...) selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Partnerbase"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

SLACK_BOT_TOKEN = os.environ.get("SLACK_BOT_TOKEN", "")
SLACK_SIGNING_SECRET = os.environ.get("SLACK_SIGNING_SECRET", "")

SLACK_APP_TOKEN = os.environ.get("SLACK_APP_TOKEN", "")
# Workspaces (team ids) the bot answers; empty answers its own install only.
SLACK_ALLOWED_TEAM_IDS = [
    t.strip() for t in os.environ.get("SLACK_ALLOWED_TEAM_IDS", "").split(",") if t.strip()
]
# Run lazy listeners inline, in the request thread (tests and benchmarks only).
SLACK_LAZY_INLINE = False

# Community schools: a referral with no update for this many days needs action; closed referrals
# older than the retention are anonymised by `manage.py anonymise_referrals`.
REFERRAL_STALE_DAYS = int(os.environ.get("REFERRAL_STALE_DAYS", "14"))
REFERRAL_RETENTION_DAYS = int(os.environ.get("REFERRAL_RETENTION_DAYS", str(3 * 365)))

# Build the matcher index when the web server loads the app, not on the first duplicate check.
MATCH_INDEX_WARM = os.environ.get("MATCH_INDEX_WARM", "1") == "1"
# Processes a large import's duplicate check is split over (forked; 1 keeps it in-process).
# Duplicate matcher levels: a pair is "likely" from this match probability, "possible" from the
# next (chosen on development data: tests/dedup/fit_default_model.py prints P/R per threshold).
MATCH_LIKELY_PROBABILITY = float(os.environ.get("MATCH_LIKELY_PROBABILITY", "0.95"))
MATCH_POSSIBLE_PROBABILITY = float(os.environ.get("MATCH_POSSIBLE_PROBABILITY", "0.5"))
MATCH_WORKERS = int(os.environ.get("MATCH_WORKERS", str(min(os.cpu_count() or 1, 4))))

# The annual partnership report's targets (crm.selectors.reports).
PARTNERSHIP_GROWTH_TARGET_PCT = 20
COMMUNITY_SCHOOLS_TARGET = 105
COMMUNITY_SCHOOLS_BASELINE_FY = 2022  # FY 2021-22, stored as the year it ends
