"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

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
    "axes",
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
    # Production stack: a request id on every log line and response.
    "ops.logs.RequestIdMiddleware",
    # Last, as django-axes asks: it turns a lockout into its 429 answer.
    "axes.middleware.AxesMiddleware",
    "cms.csp.AreaCSPMiddleware",
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

# --- Login throttling, password policy, session idle timeout ----------------------------------
# Every account can reach student referral data or partner contacts, so the staff rules apply to
# all: Django's full validator set, 12 characters at least, and not built on the product's name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "crm.passwords.ContextWordValidator"},
]
# django-axes counts failed logins in the database (so across every server process) and locks
# the username+IP pair after AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME hours.
# Unlock: Settings > Locked logins in the admin, or `manage.py axes_reset_username USERNAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Idle timeout: the session is saved on every request, which pushes its expiry (server side and
# cookie) SESSION_IDLE_TIMEOUT seconds ahead; SESSION_COOKIE_AGE is that idle window.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(8 * 3600)))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True
# Times of day name their zone (the office's, TIME_ZONE) wherever Django formats them.
FORMAT_MODULE_PATH = ["cms.formats"]
# No avatar service is reachable from the office network: Wagtail's built-in avatar instead of
# a broken Gravatar image.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# Private documents (signed agreements): never under MEDIA_ROOT, served only through checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
AGREEMENT_MAX_BYTES = int(os.environ.get("AGREEMENT_MAX_BYTES", 10 * 1024 * 1024))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Partnerbase"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")

SLACK_BOT_TOKEN = os.environ.get("SLACK_BOT_TOKEN", "")
SLACK_SIGNING_SECRET = os.environ.get("SLACK_SIGNING_SECRET", "")

SLACK_APP_TOKEN = os.environ.get("SLACK_APP_TOKEN", "")
# Slack's Web API; the load test points it at a stub on this machine.
SLACK_API_URL = os.environ.get("SLACK_API_URL", "https://slack.com/api/")
# Workspaces (team ids) the bot answers. Empty: only the installation's own workspace, whose id
# comes from one auth.test kept in the cache (bots/workspace.py); other teams are refused.
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
# Import every view and compile every template when a server loads the app (cms/warmup.py).
WARM_CODE = os.environ.get("WARM_CODE", "1") == "1"
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

# --- Production stack: shared cache ------------------------------------------------------------
# REDIS_URL (or CACHE_URL) points every process at one Redis, so the CRM data version and the
# cached public pages are shared: a write in any process shows on every process's pages at once.
# Without it each process keeps its own memory cache (development, tests, a single process).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "pb"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Production stack: background tasks ----------------------------------------------------------
# django-tasks runs background work. TASK_BACKEND=database queues it in the database for
# `manage.py run_worker` (production); the default runs each task at once, in the process that
# enqueues it (development, tests), so nothing else has to run.
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "ops"]
if os.environ.get("TASK_BACKEND", "immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# A task running longer than this is taken as abandoned by a stopped worker and queued again.
TASK_STALL_SECONDS = int(os.environ.get("TASK_STALL_SECONDS", "1800"))
# Finished task rows (the admin's Background tasks list) are kept this long.
TASK_KEEP_DAYS = int(os.environ.get("TASK_KEEP_DAYS", "30"))
# The hourly purge drops import previews older than this.
IMPORT_PURGE_HOURS = float(os.environ.get("IMPORT_PURGE_HOURS", "24"))
# Confirmed imports of at least this many rows are written by the background worker.
IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "2000"))
# The REST API (api/): Django REST framework, OpenAPI 3 by drf-spectacular, docs served locally.
# Its authentication, permissions, throttling and errors are set on its own views (api/views/
# base.py), not as DRF defaults, so Wagtail's admin API keeps its own.
INSTALLED_APPS += ["api", "rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]  # noqa: F405
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partnerbase API",
    "DESCRIPTION": "Partners, partnerships and community-school records, scoped to a staff token.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PartnerStatusEnum": "crm.models.choices.PartnerStatus",
        "PartnerWritableStatusEnum": "api.serializers.write.WRITABLE_PARTNER_STATUSES",
        "PartnerKindEnum": "crm.models.choices.PartnerKind",
        "GradeLevelEnum": "crm.models.choices.GradeLevel",
        "PartnershipScopeEnum": "crm.models.choices.PartnershipScope",
        "PackScopeEnum": "api.serializers.packs.PACK_SCOPES",
        "PartnershipStatusEnum": "crm.models.choices.PartnershipStatus",
        "ReferralStatusEnum": "crm.models.choices.ReferralStatus",
        "GrantStatusEnum": "crm.models.choices.GrantStatus",
        "EventKindEnum": "crm.models.choices.EventKind",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Requests per token (or signed-in user) through the shared cache; "N/sec|min|hour|day".
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/min")
API_THROTTLE_CACHE = os.environ.get("API_THROTTLE_CACHE", "default")
# Webhook deliveries: attempts before giving up, first retry delay (doubles each time), timeout.
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_RETRY_BASE_SECONDS = int(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
# --- Content-Security-Policy (django-csp; cms/csp.py relaxes script-src under the admin) -------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # Wagtail's admin and our templates set style attributes; styles cannot run code.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
CSP_ADMIN_PREFIX = "admin"
# No Gravatar: staff e-mail hashes stay here, and the admin's images stay on 'self'.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Public maps: Leaflet served from django-leaflet's static files (no CDN); the tile server is
# configurable, OpenStreetMap's by default (its usage policy asks for the attribution below).
INSTALLED_APPS += ["leaflet"]
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
MAP_DIRECTIONS_URL = os.environ.get(
    "MAP_DIRECTIONS_URL", "https://www.openstreetmap.org/directions?to={destination}"
)

# The public site's address as visitors know it (e.g. https://partners.example.org): used in
# the sitemap, canonical links and structured data. Empty: the address of the request.
PUBLIC_SITE_URL = os.environ.get("PUBLIC_SITE_URL", "")
# The map's tiles are the only images from off this site: the CSP admits MAP_TILE_URL's origin.
_tiles = urlsplit(MAP_TILE_URL)
if _tiles.scheme in ("http", "https") and _tiles.netloc:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
    )
