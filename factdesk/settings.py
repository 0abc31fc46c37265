"""factdesk settings: one module, read from the environment, with development defaults.

Every variable is listed in README.md ("Configuration"). With DEBUG off, an insecure default
stops start-up instead of running quietly in production.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from factdesk.core.embedded import running_urls

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "django-insecure-factdesk-development-key-never-use-in-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number such as 0.5; got {value!r}") from None


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or is the development default. With DEBUG off, set SECRET_KEY "
            "to a long random value, e.g. the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Django's own deploy check (security.W009) only warns; a guessable key signs sessions,
    # password-reset links and CSRF tokens.
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak ({len(SECRET_KEY)} characters, {len(set(SECRET_KEY))} "
        "different): use at least 50 characters with at least 5 different ones, e.g. the "
        "output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# With no URLs set, use the development desk's embedded servers (started by `make run`).
_embedded = running_urls("dev")
DATABASE_URL = os.environ.get("DATABASE_URL") or _embedded.get(
    "DATABASE_URL", "postgresql://postgres@localhost:5432/factdesk"
)
REDIS_URL = os.environ.get("REDIS_URL") or _embedded.get("REDIS_URL", "redis://localhost:6379/0")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.sitemaps",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The desk's apps, lowest first: each imports (at module level) only itself and the apps
    # listed before it (docs/architecture.md; tests/test_architecture.py checks it).
    "factdesk.core",
    "factdesk.accounts",
    "factdesk.claims",
    "factdesk.sources",
    "factdesk.intake",
    "factdesk.articles",
    "factdesk.notifications",
    "factdesk.public",
    "factdesk.api",
    "factdesk.webhooks",
    "factdesk.signin",
    "factdesk.checkimport",
    "factdesk.exchange",
    "factdesk.backups",
    "factdesk.privacy",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the desk (no CDN)
    "factdesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "factdesk.accounts.middleware.SessionActivityMiddleware",  # idle timeout, sessions' last use
    "factdesk.signin.middleware.TwoFactorRequired",  # after messages: it says why it redirects
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The desk's own pages run only the scripts and styles it serves (django-csp); an inline
# script would need the request's nonce. Archived pages keep their stricter policy
# (sources/views.py) and are framed only by the desk itself.
csp_images: list[str] = [SELF, "data:"]  # and the logo's site, below, when it has one
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": csp_images,
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before checking it
    "factdesk.accounts.backends.DeskBackend",  # Django's ModelBackend, roles read with the user
]
# Two-factor sign-in (factdesk/signin/twofactor.py): the name an authenticator app shows.
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "factdesk")
# Wrong codes at sign-in count towards the login lockout above, as wrong passwords do;
# django-otp's own growing delay would also refuse a right code typed a second after a typo.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Single sign-on with OpenID Connect (factdesk/signin/sso.py), on when a client id and the
# provider's endpoints are set. LOCAL_LOGIN=false then turns passwords off.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your organisation's account")
OIDC_ALLOWED_DOMAINS = [d.lower() for d in env_list("OIDC_ALLOWED_DOMAINS", [])]
OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "")
OIDC_ROLE_MAP = dict(
    pair.split(":", 1) for pair in env_list("OIDC_ROLE_MAP", []) if ":" in pair
)  # "provider-group:role,…"
OIDC_DEFAULT_ROLE = os.environ.get("OIDC_DEFAULT_ROLE", "")
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "signin:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("factdesk.signin.sso.DeskOIDCBackend")
# Failed logins (factdesk/accounts/throttling.py): LOGIN_FAILURE_LIMIT wrong passwords for
# one account from one address lock that pair out for LOGIN_LOCKOUT_MINUTES (an admin can
# unlock sooner: Django admin, Axes, Access attempts). TRUSTED_PROXIES: the addresses (CIDR)
# of the proxies in front of the desk, whose X-Forwarded-For names the client.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "factdesk.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "factdesk.accounts.throttling.locked_out"
AXES_VERBOSE = False
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# Sessions are Django's database sessions (in PostgreSQL: logging in works while Redis is
# down), each with the person it belongs to, so that they can be listed and ended
# (factdesk/accounts/sessions.py). One unused for SESSION_IDLE_MINUTES logs out. An
# invitation's link works for INVITATION_DAYS.
SESSION_ENGINE = "factdesk.accounts.sessions"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 480)
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

ROOT_URLCONF = "factdesk.urls"
WSGI_APPLICATION = "factdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "factdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "factdesk.accounts.context_processors.roles",
                "factdesk.public.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
# Parameters bound on the server and a query prepared the second time a connection runs it:
# a page's queries repeat, and a prepared one skips PostgreSQL's planning (0.4-1 ms a query
# against the claims table's indexes; benchmarks/desk.py). A pooler that cannot keep prepared
# statements (PgBouncer in transaction mode before 1.21) needs DATABASE_PREPARED=0.
if env_bool("DATABASE_PREPARED", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "factdesk",
    },
    # Per process, in front of the shared cache for what every fetch reads (robots.txt).
    "process": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "TIMEOUT": 60,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "signin:login"
LOGIN_REDIRECT_URL = "claims:board"
LOGOUT_REDIRECT_URL = "signin:login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "factdesk" / "static"]
STORAGE_DIR = Path(os.environ.get("STORAGE_DIR", BASE_DIR / "var" / "storage"))
MEDIA_ROOT = STORAGE_DIR
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": STORAGE_DIR},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Security. Production (DEBUG off) gets the strict defaults that `check --deploy` asks for;
# behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER by forwarding X-Forwarded-Proto.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # /healthz is probed over plain HTTP by the load balancer and container healthchecks.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Celery: every setting below is read by factdesk/celery.py through the CELERY_ namespace.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = timedelta(hours=1)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up closes every database connection around every task unless this is
# set: a new PostgreSQL backend per fetch. Connections are instead kept and checked like a
# web request's (CONN_MAX_AGE, health checks): see factdesk/celery.py.
CELERY_DB_REUSE_MAX = 10**9
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 150)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "factdesk.sources.tasks.source_fetch": {"queue": "fetch"},
    "factdesk.sources.tasks.source_wayback": {"queue": "fetch"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A visibility timeout longer than the hard time limit: an unacked task is redelivered only
# after its worker is surely gone.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 30}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "sources-sweep": {
        "task": "factdesk.sources.tasks.sources_sweep",
        "schedule": timedelta(minutes=1),
    },
    "sources-recheck": {
        "task": "factdesk.sources.tasks.sources_recheck",
        "schedule": crontab(hour=4, minute=15),
    },
    "notifications-emails-sweep": {
        "task": "factdesk.notifications.tasks.emails_sweep",
        "schedule": timedelta(minutes=5),
    },
    "intake-embed-missing": {
        "task": "factdesk.intake.tasks.embed_missing",
        "schedule": timedelta(minutes=10),
    },
    "intake-retrain": {
        "task": "factdesk.intake.tasks.worthiness_retrain",
        "schedule": timedelta(hours=1),
    },
    "webhooks-sweep": {
        "task": "factdesk.webhooks.tasks.deliveries_sweep",
        "schedule": timedelta(minutes=1),
    },
    "privacy-check-personal-data": {
        "task": "factdesk.privacy.tasks.check_personal_data_expire",
        "schedule": crontab(hour=3, minute=40),
    },
    "heartbeat": {
        "task": "factdesk.core.tasks.beat_heartbeat",
        "schedule": timedelta(minutes=1),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")

# The desk's rules. Sign-off: a verdict is approved with SIGNOFF_APPROVALS approvals from
# editors who did not write it, and sent back with SIGNOFF_REJECTIONS requests for changes
# (a PolitiFact-style panel of three where two decide: 2 and 2).
SIGNOFF_APPROVALS = env_int("SIGNOFF_APPROVALS", 1)
SIGNOFF_REJECTIONS = env_int("SIGNOFF_REJECTIONS", 1)
if SIGNOFF_APPROVALS < 1 or SIGNOFF_REJECTIONS < 1:
    raise ImproperlyConfigured("SIGNOFF_APPROVALS and SIGNOFF_REJECTIONS must be at least 1")
# A new claim is due this many days after it is logged, by priority (low, normal, high,
# urgent); an open claim past its due date is overdue.
DUE_DAYS = env_list("DUE_DAYS", ["14", "7", "3", "1"])
if len(DUE_DAYS) != 4 or not all(days.isdigit() for days in DUE_DAYS):
    raise ImproperlyConfigured("DUE_DAYS lists four whole numbers of days: low,normal,high,urgent")
DUE_DAYS_BY_PRIORITY = {priority: int(days) for priority, days in enumerate(DUE_DAYS)}

# Similar claims (intake/matching.py): shown from MATCH_SUGGEST, flagged "likely the same
# claim" from MATCH_LIKELY_SAME. Both read one score: the share of their stemmed words two
# texts have in common plus, for texts of 8 words or more, their embeddings' cosine mapped so
# that 0.3 (unrelated) is 0 and 1 is 1 (0 to 2 in all; a fact check from elsewhere adds its
# headline's cosine, mapped the same way, at a quarter: 0 to 2.25).
MATCH_SUGGEST = env_float("MATCH_SUGGEST", 0.3)
MATCH_LIKELY_SAME = env_float("MATCH_LIKELY_SAME", 0.6)
# The desk's own check-worthiness model is trained again once this many new decisions exist
# (claims logged from articles, "Not a claim", sentences of articles marked "Triage done").
WORTHINESS_RETRAIN_AFTER = env_int("WORTHINESS_RETRAIN_AFTER", 50)
# Importing another newsroom's fact-check page is done while the editor waits: a short limit.
EXTERNAL_FETCH_SECONDS = env_int("EXTERNAL_FETCH_SECONDS", 20)
# The public fact-check pages (factdesk/public): whose they are, in their header and in
# every ClaimReview's author; how long a CDN or a browser may keep a page.
SITE_NAME = os.environ.get("SITE_NAME", "Fact checks")
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "factdesk")
# The public pages' look: a logo (an address, e.g. /static/... or https://...) shown beside
# the site's name, and the accent colour of links and buttons (#rrggbb).
SITE_LOGO_URL = os.environ.get("SITE_LOGO_URL", "")
if SITE_LOGO_URL.startswith(("https://", "http://")):  # its site may serve images here
    _logo = urlsplit(SITE_LOGO_URL)
    csp_images.append(f"{_logo.scheme}://{_logo.netloc}")
SITE_COLOUR = os.environ.get("SITE_COLOUR", "#1f5fbf")
if not re.fullmatch(r"#[0-9a-fA-F]{6}", SITE_COLOUR):
    raise ImproperlyConfigured(f"SITE_COLOUR must be a colour like #1f5fbf; got {SITE_COLOUR!r}")
ORGANISATION_URL = os.environ.get("ORGANISATION_URL", "")
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300)
# Webhooks: how long a receiver has to answer, and the pauses before each retry (seconds;
# after the last, a delivery has failed). The default follows Standard Webhooks' schedule.
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 10)
try:
    WEBHOOK_RETRY_SECONDS = [
        float(pause)
        for pause in env_list("WEBHOOK_RETRY_SECONDS", ["5", "300", "1800", "7200", "18000"])
    ]
except ValueError:
    raise ImproperlyConfigured(
        "WEBHOOK_RETRY_SECONDS must be numbers of seconds separated by commas, e.g. 5,300,1800"
    ) from None
# The sites that may frame a fact check's embed (CSP frame-ancestors), e.g. the newsroom's
# CMS: "https://www.example-news.com". None by default; every other page is never framed.
EMBED_FRAME_ANCESTORS = env_list("EMBED_FRAME_ANCESTORS", [])

# The API (factdesk/api): Django REST framework, its OpenAPI schema by drf-spectacular.
# Requests are counted in the shared cache (Redis), per address for the public endpoints.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "desk": os.environ.get("API_DESK_RATE", "600/minute"),  # per token's owner
    },
    "EXCEPTION_HANDLER": "factdesk.api.desk.desk_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factdesk API",
    "DESCRIPTION": (
        "Published fact checks, as the desk's public pages show them (no login), and the "
        "desk's own endpoints under /api/v1/desk/ for a person's API token."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Google's Fact Check Tools API (claims:search): each claim logged is searched there when a
# key is set here and a publisher opts in on the desk's intake settings page.
FACT_CHECK_TOOLS_API_KEY = os.environ.get("FACT_CHECK_TOOLS_API_KEY", "")
FACT_CHECK_TOOLS_URL = os.environ.get(
    "FACT_CHECK_TOOLS_URL", "https://factchecktools.googleapis.com/v1alpha1/claims:search"
)
# A ClaimReview feed (uploaded or fetched) is read up to this size; the Data Commons feed of
# every fact check is about 150 MB.
FEED_MAX_BYTES = env_int("FEED_MAX_BYTES", 300_000_000)
# Check workspace exports (factdesk/checkimport): the largest ZIP taken on the page, and how
# long the worker's one-transaction import may take.
CHECK_IMPORT_MAX_BYTES = env_int("CHECK_IMPORT_MAX_BYTES", 200_000_000)
CHECK_IMPORT_SECONDS = env_int("CHECK_IMPORT_SECONDS", 1800)
# Personal data a Check import brought in (factdesk/privacy): a nightly task deletes what is
# older than this many days (stored export ZIPs with their tipline requests, the skipped
# rows' names and addresses in import reports, the Check user ids kept beside accounts).
CHECK_PERSONAL_DATA_DAYS = env_int("CHECK_PERSONAL_DATA_DAYS", 90)
# Backups (factdesk/backups): where `manage.py backup` writes without a PATH, and how often
# `manage.py backup --schedule` (compose's backup service) makes one.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "var" / "backups"))
BACKUP_HOURS = env_int("BACKUP_HOURS", 24)
if BACKUP_HOURS < 1:
    raise ImproperlyConfigured("BACKUP_HOURS must be at least 1")

# Fetching sources (factdesk/core/http.py). FETCH_ALLOW_NETWORKS lists private networks that
# may be fetched all the same (an intranet; the tests' local servers): CIDR, comma-separated.
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 20_000_000)
FETCH_DEADLINE_SECONDS = env_int("FETCH_DEADLINE_SECONDS", 60)
FETCH_CONTACT_URL = os.environ.get("FETCH_CONTACT_URL", "https://github.com/factdesk/factdesk")
FETCH_ALLOW_NETWORKS = env_list("FETCH_ALLOW_NETWORKS", [])
FETCH_MAX_ATTEMPTS = env_int("FETCH_MAX_ATTEMPTS", 5)
# Reading a fetched body that could take long (a PDF, a large file) happens in a child
# process with these limits (factdesk/sources/bounded.py).
READ_SECONDS = env_int("READ_SECONDS", 30)
READ_MEMORY_MB = env_int("READ_MEMORY_MB", 1024)
# How long a worker holds a fetch before the sweeper assumes it died and requeues it: longer
# than the work can take (the fetch's deadline, then the read's budget), so a live worker
# never loses its lease.
FETCH_LEASE_SECONDS = env_int("FETCH_LEASE_SECONDS", FETCH_DEADLINE_SECONDS + READ_SECONDS + 30)
FETCH_RETRY_BASE_SECONDS = env_int("FETCH_RETRY_BASE_SECONDS", 30)
# Politeness per host, shared by all workers through Redis.
FETCH_HOST_CONCURRENCY = env_int("FETCH_HOST_CONCURRENCY", 2)
FETCH_HOST_INTERVAL = float(os.environ.get("FETCH_HOST_INTERVAL", "1"))
# Uploaded sources share the fetch size cap, enforced while the upload is read.
FILE_UPLOAD_HANDLERS = [
    "factdesk.sources.uploads.SizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# The Wayback Machine (off by default): once a page is archived here, ask the Internet
# Archive for a public copy too (a capture from the last day, else a save request).
WAYBACK_ENABLED = env_bool("WAYBACK_ENABLED", False)
WAYBACK_AVAILABILITY_URL = os.environ.get(
    "WAYBACK_AVAILABILITY_URL", "https://archive.org/wayback/available"
)
WAYBACK_SAVE_URL = os.environ.get("WAYBACK_SAVE_URL", "https://web.archive.org/save/")
WAYBACK_MAX_ATTEMPTS = env_int("WAYBACK_MAX_ATTEMPTS", 3)

# Email (notifications): with EMAIL_HOST set, sent by SMTP through it; without, written to
# the console (the log), as in development. DESK_URL is the desk's address, for the links
# in emails.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factdesk <factdesk@localhost>")
DESK_URL = os.environ.get("DESK_URL", "http://localhost:8000")

HEALTHZ_WORKER_TIMEOUT = float(os.environ.get("HEALTHZ_WORKER_TIMEOUT", "3"))
