"""Wayfare's settings: read from the environment once, here.

Every variable is documented in README.md ("Configuration"). The defaults run the
whole portal on one laptop with nothing installed: SQLite under var/, local-memory
cache, Celery tasks executed eagerly. DATABASE_URL and REDIS_URL switch to the real
services; DJANGO_ENV=production turns on the hardened settings, which pass
`manage.py check --deploy --fail-level WARNING`.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: production must set a real one
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-wayfare-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Wayfare-Demo-2026")

INSTALLED_APPS = [
    "members",
    "offers",
    "recommendations",
    "cms",
    "api",
    "portal.operations",  # when scheduled jobs last ran, for /health/
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",  # the "Translate" action on pages (docs/cms.md, "Translations")
    "wagtail.locales",  # Settings → Locales in the admin
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
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "ninja",  # its Swagger UI assets, served from our static files (no CDN) at /api/v1/docs
]

MIDDLEWARE = [
    "portal.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "members.language.MemberLanguageMiddleware",  # a signed-in member reads their profile's language
    "recommendations.visitors.VisitorActivityMiddleware",  # bots are not activity; visitors' looks kept in a signed cookie
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.AdminSecondFactorMiddleware",
    "portal.middleware.RateLimitMiddleware",
    "portal.middleware.StaffAuditMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
SITE_ID = 1

# Jinja2 first: every page a member sees, allauth's account pages included (our
# templates carry allauth's names). Django templates only for Wagtail's admin and
# the e-mails allauth renders from its own .txt templates.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "portal.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'wayfare.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a Celery task or load_demo writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Redis down: each use of the cache falls back to process memory or raises (a 503 page),
    # by key prefix; docs/operations.md, "When Redis is gone".
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "wayfare",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1,
                "FALLBACK": {"allauth.mfa.totp.used": "raise"},  # a second factor must not be replayable
                "RETRY_SECONDS": env.float("CACHE_RETRY_SECONDS", default=5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wayfare"}}

SESSION_ENGINE = "django.contrib.sessions.backends.db"  # members stay signed in if Redis goes away

# Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in the caller.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "recommendations.tasks.record_impressions": {"queue": "default"},  # an exact name wins over the pattern
    "recommendations.tasks.refresh_recommendations": {"queue": "default"},  # freshness: never behind a training run
    "recommendations.tasks.refresh_recent_recommendations": {"queue": "default"},
    "recommendations.tasks.*": {"queue": "training"},
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers log through LOGGING above (request ids, LOG_FORMAT=json), not Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=7200)}
# Redis down: a page that queues a task gives up within about a second (docs/operations.md).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Celery task names whose last start, success and failure are kept (portal.operations.JobRun)
# and shown by /health/ under the given name.
OPERATIONS_RECORDED_TASKS = {
    "recommendations.tasks.train_recommender": "training",
    "members.tasks.recalculate_member_tiers": "tier_recalculation",
    "members.privacy.tasks.purge_expired_activity": "activity_purge",
}
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_TIMEZONE = "UTC"

AUTH_USER_MODEL = "members.Member"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: e-mail is the login, verified before the first sign-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Wayfare · "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Wayfare"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Wayfare <no-reply@wayfare.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SALES_EMAIL = env.str("SALES_EMAIL", default="groups@wayfare.example")
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/m")  # per API token (or signed-in member), docs/api.md

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Taiwan number grouping (1,234,567) over Django's zh_Hant default; see portal/formats/.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

WAGTAIL_SITE_NAME = "Wayfare"
WAGTAILADMIN_BASE_URL = SITE_URL
# Pages are translatable (one tree per locale, same URLs; cms/localization.py, docs/cms.md "Translations").
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# No alias pages: a page missing in a language falls back to English when served and listed (cms/localization.py).
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploaded images: the format is read from the file itself (Willow), not from its name; an
# upload over the size, over the pixel count (a decompression bomb), or in another format is
# refused with a field error (docs/operations.md, "Uploads").
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]  # no SVG: it can carry script
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", default=5 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels, a large photo
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default (non-file form data), said out loud

# Content-Security-Policy: no inline script; the nonce covers the few we write.
CONTENT_SECURITY_POLICY = {
    # Wagtail's admin brings inline styles and scripts of its own; the policy covers member pages.
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# DENY (security.W019): Wagtail's preview views set SAMEORIGIN on their own responses.
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# LOG_FORMAT=json: one JSON object per line (portal/log_format.py); "text" (default) for people.
# Every record carries the request's id (portal/request_id.py); docs/operations.md, "Logging".
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "portal.log_format.JsonLinesFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Wagtail's background tasks and page-tree edits log every step at INFO: noise in load_demo and make run.
    "loggers": {name: {"level": "WARNING"} for name in ("django.db.backends", "django_tasks", "wagtail")},
}

# --- Recommender (issue 5, recommendations/; documented in docs/recommender.md) ---------------
# Every recommender setting starts with RECOMMENDER_. Weights: how much one event says about a
# member's interest in an item (negative: a change of mind; a member × item total at or below
# zero leaves the matrix). Half-life: an event loses half its weight every N days.
RECOMMENDER_EVENT_WEIGHTS = {"search": 1.0, "view": 2.0, "click": 2.0, "save": 4.0, "unsave": -4.0, "claim": 6.0, "book": 8.0}
RECOMMENDER_HALF_LIFE_DAYS = env.float("RECOMMENDER_HALF_LIFE_DAYS", default=120.0)
# implicit ALS parameters used when tuning is off; tuning picks from RECOMMENDER_TUNING_GRID.
RECOMMENDER_ALS = {"factors": 32, "regularization": 10.0, "alpha": 1.0, "iterations": 15}
RECOMMENDER_TUNING_GRID = {
    "factors": [16, 32],
    "regularization": [0.1, 1.0, 10.0],
    "alpha": [1.0, 10.0, 40.0],
}
RECOMMENDER_BLEND_WEIGHTS = [0.25, 0.5, 0.75]  # share of ALS in the ALS + own-history blend
RECOMMENDER_THREADS = env.int("RECOMMENDER_THREADS", default=0)  # 0: every core
RECOMMENDER_EVAL_MAX_MEMBERS = 20_000  # members scored per evaluation (a seeded sample above it)
RECOMMENDER_TOP_N = 50  # items kept per member in the cache, all kinds together
RECOMMENDER_KEEP_VERSIONS = 5
RECOMMENDER_CACHE = "recommendations"
RECOMMENDER_CACHE_TIMEOUT = 3 * 24 * 3600
# Dotted path to `fn(members: QuerySet[Member]) -> QuerySet[Member]` keeping those who allow
# personalization: members.privacy's versioned consent (docs/privacy.md). Empty: everyone.
RECOMMENDER_CONSENT_FILTER = env.str(
    "RECOMMENDER_CONSENT_FILTER", default="members.privacy.consent.members_allowing_personalization"
) or None
if REDIS_URL:
    CACHES["recommendations"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "wayfare-reco",
        # Short timeouts: a page waits at most this long before serving the fallback.
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
else:
    CACHES["recommendations"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "wayfare-recommendations",
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    }
CELERY_BEAT_SCHEDULE["recommender-nightly-retrain"] = {
    "task": "recommendations.tasks.train_recommender",
    "schedule": crontab(hour=3, minute=15),  # full retrain, tuning included, nightly (UTC)
}
CELERY_BEAT_SCHEDULE["recommender-frequent-refresh"] = {
    "task": "recommendations.tasks.refresh_recent_recommendations",
    "schedule": 300.0,  # every 5 minutes: fold members' new activity into their lists (recommendations/freshness.py)
}

# --- Loyalty tiers (members/loyalty, docs/loyalty.md) ------------------------------------
# Nightly: raise tiers members earned (an ordinary run never lowers). 1 April: the
# year-end review, when the status of the year before last lapses and tiers may fall.
CELERY_BEAT_SCHEDULE["loyalty-nightly-tier-recalculation"] = {
    "task": "members.tasks.recalculate_member_tiers",
    "schedule": crontab(hour=2, minute=30),
}
CELERY_BEAT_SCHEDULE["loyalty-year-end-tier-review"] = {
    "task": "members.tasks.recalculate_member_tiers",
    "schedule": crontab(hour=1, minute=0, day_of_month=1, month_of_year=4),
    "kwargs": {"year_end_review": True},
}
# Daily: warn 30 days before miles expire (24 months without activity), then expire them.
CELERY_BEAT_SCHEDULE["loyalty-daily-miles-expiry"] = {"task": "members.tasks.expire_miles", "schedule": crontab(hour=4, minute=0)}
# Nightly, after the tier recalculation: customer value (demand, resource, RFM, CLV).
CELERY_BEAT_SCHEDULE["loyalty-nightly-customer-value"] = {
    "task": "members.tasks.refresh_customer_value", "schedule": crontab(hour=2, minute=50)}

# --- Privacy and staff security (members/privacy, docs/privacy.md) -----------------------
# Consent: the recommender's RECOMMENDER_CONSENT_FILTER (above) is members.privacy's; the
# analytics consent is checked by members.services.record_activity and recommendations.tracking.
# Sign-up asks for the three consents (unticked) through members.forms.SignupForm.
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}
# Retention: raw activity older than this many days is deleted nightly (and by
# `manage.py purge_expired_activity`).
PRIVACY_ACTIVITY_RETENTION_DAYS = env.int("PRIVACY_ACTIVITY_RETENTION_DAYS", default=730)
CELERY_IMPORTS = ["members.privacy.tasks", "members.cases.tasks"]  # not an app's tasks.py, so not autodiscovered
CELERY_BEAT_SCHEDULE["privacy-purge-expired-activity"] = {
    "task": "members.privacy.tasks.purge_expired_activity",
    "schedule": crontab(hour=1, minute=45),  # before the nightly retrain (03:15 UTC)
}
# The admin needs a second factor (portal.middleware.AdminSecondFactorMiddleware): staff
# without an activated TOTP authenticator are sent to /accounts/2fa/ first, and Wagtail's
# password-only log-in page gives way to allauth's. These e-mails (the demo staff) are
# exempt while DEBUG is on only, so `make run` works without an authenticator app.
WAGTAIL_ADMIN_PREFIX = "/admin/"
WAGTAILADMIN_LOGIN_URL = "account_login"
ADMIN_SECOND_FACTOR_EXEMPT = env.list("ADMIN_SECOND_FACTOR_EXEMPT", default=["editor@example.com", "manager@example.com", "service@example.com"])
# POST limits per URL name (portal.middleware.RateLimitMiddleware): rate, per "user" or
# "ip", and the reason the 429 page gives. Log-in, sign-up and reset: ACCOUNT_RATE_LIMITS.
RATE_LIMITS = {
    "offer:claim": ("10/m", "user", _("You are claiming offers faster than a person can.")),
    # Wagtail serves every page through this view; the only form on a page is the group enquiry.
    "wagtail_serve": ("5/10m", "ip", _("Too many enquiries were sent from your connection.")),
    "members:case_new": ("5/10m", "user", _("You are opening questions faster than we can answer them.")),
}

# --- Weekly personal e-mail (cms/weekly_email.py, docs/member-portal.md) ------------------
CELERY_BEAT_SCHEDULE["weekly-personal-email"] = {
    "task": "cms.tasks.send_weekly_email",
    "schedule": crontab(hour=7, minute=0, day_of_week="monday"),  # after the nightly retrain, before the week starts
}
