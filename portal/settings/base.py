"""Settings shared by every environment.

Every external component is named by an environment variable with a safe embedded
default, so a fresh checkout runs on SQLite and the embedded search engine with no
configuration at all. ``production`` tightens what must be tightened.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal import cache_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Return an environment variable, treating an empty value as unset."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable; reject anything that is not clearly yes or no."""
    value = env(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    """Read an integer variable with a clear error for a malformed value."""
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be an integer, not {value!r}."
        ) from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Read a comma-separated list variable."""
    value = env(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


# Everything the portal writes at run time (SQLite files, the embedded search index,
# uploaded media) lives under one directory, so a web node's state is easy to see.
VAR_DIR = Path(env("GONGKAI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "portal.apps.PortalConfig",
    "search.apps.SearchConfig",
    "negative_list.apps.NegativeListConfig",
    "requests_.apps.RequestsConfig",
    "letters.apps.LettersConfig",
    "messaging.apps.MessagingConfig",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After sessions, language and authentication (it reads all three); before the
    # throttle, so a cached page costs no throttle count.
    "portal.httpcache.HttpCacheMiddleware",
    # After authentication, so a signed-in user is counted by user, not address.
    "portal.throttling.PublicThrottleMiddleware",
    # Last, as django-axes asks: it turns a lock-out signal into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public site read while a service writes; IMMEDIATE transactions
    # make select_for_update-style services fail fast instead of deadlocking.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
# Login lock-out (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is locked for the cool-off period. Attempts
# are rows in the database, so the count holds across web nodes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Single sign-on (portal.sso): inert until GONGKAI_OIDC_CLIENT_ID is set.
    "portal.sso.backends.OIDCBackend",
    # Django's password backend; superusers only when GONGKAI_LOCAL_PASSWORDS=false.
    "portal.sso.backends.LocalPasswordBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A cap per address across user names (portal.lockout.AddressCapHandler), so one
# address cannot try AXES_FAILURE_LIMIT - 1 passwords against every account.
AXES_HANDLER = "portal.lockout.AddressCapHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "portal.clientip.axes_client_ip"

# A failed CSRF check renders the portal's own 403 page (Chinese, with the next
# step) instead of Django's English "403 Forbidden".
CSRF_FAILURE_VIEW = "portal.error_pages.csrf_failure"

# How many proxies (load balancer, CDN) in front of the web nodes append to
# X-Forwarded-For. 0 (the default): the peer address is the client and the header
# is ignored. Every limiter (API, public pages, login, tracking links, the online
# form) keys on portal.clientip.client_ip, which reads this.
GONGKAI_TRUSTED_PROXIES = env_int("GONGKAI_TRUSTED_PROXIES", 0)

# Content-Security-Policy sent by portal.middleware on every response; unset means
# the strict default there (no inline script or style, nothing from elsewhere).
CONTENT_SECURITY_POLICY = env("CONTENT_SECURITY_POLICY")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "home"

# --- Single sign-on (OpenID Connect, mozilla-django-oidc; see portal/sso) ----------
# Off unless GONGKAI_OIDC_CLIENT_ID is set. With GONGKAI_OIDC_ISSUER the endpoints
# come from its discovery document; each endpoint variable overrides it. A person
# signed in by the provider is matched to an existing account whose user name
# equals GONGKAI_OIDC_USERNAME_CLAIM; sign-in never creates accounts or roles.
GONGKAI_OIDC_ISSUER = env("GONGKAI_OIDC_ISSUER")
OIDC_RP_CLIENT_ID = env("GONGKAI_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("GONGKAI_OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env("GONGKAI_OIDC_SCOPES", "openid profile")
OIDC_RP_SIGN_ALGO = env("GONGKAI_OIDC_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("GONGKAI_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("GONGKAI_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("GONGKAI_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("GONGKAI_OIDC_JWKS_ENDPOINT")
GONGKAI_OIDC_USERNAME_CLAIM = env("GONGKAI_OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
# false: the login page offers only the identity provider and the password backend
# refuses everyone but superusers (the break-glass for a provider outage).
GONGKAI_LOCAL_PASSWORDS = env_bool("GONGKAI_LOCAL_PASSWORDS", True)
# The provider sends the browser back with a top-level GET: "Lax" (Django's
# default) sends the session cookie with it, "Strict" would not (portal.E047).
SESSION_COOKIE_SAMESITE = "Lax"

# Chinese first: Simplified Chinese is the default, English is available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("GONGKAI_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the finders too, so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Closed by default: a public endpoint says AllowAny where it is defined.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.throttling.AnonRateThrottle",
        "portal.throttling.StaffRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", "120/minute"),
        "user": env("API_USER_RATE", "600/minute"),
        # The column search, feeds and open-data downloads (portal.throttling).
        "public": env("PUBLIC_PAGE_RATE", env("API_ANON_RATE", "120/minute")),
    },
    # The portal's throttles key on portal.clientip.client_ip; this keeps any
    # DRF throttle that does not (a third-party one) from believing the header.
    "NUM_PROXIES": GONGKAI_TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "portal.api_errors.exception_handler",
    # JSON with a nesting limit (a body of 50,000 "[" answered 500); JSON and form
    # bodies past DATA_UPLOAD_MAX_MEMORY_SIZE answer 413 in the error shape.
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.JSONParser",
        "portal.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "portal.openapi.PortalAutoSchema",
}

# The OpenAPI schema (/api/schema/) and its documentation page (/api/docs/).
SPECTACULAR_SETTINGS = {
    "TITLE": "政务公开平台 API",
    "DESCRIPTION": (
        "公开接口（负面清单、专栏检索、主动公开信息）无需登录，按来源地址限流；"
        "其余接口供工作人员使用，需会话或令牌认证。"
        '所有错误均返回 {"error": {"code", "message", "fields"}}。'
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Index numbers contain a slash; the URL converter is a string.
    "PATH_CONVERTER_OVERRIDES": {"indexno": str},
    # One name per shared choice set, where fields of different names use it.
    "ENUM_NAME_OVERRIDES": {
        "VerdictEnum": "negative_list.models.ReviewTask.Verdict",
        "AgencyKindEnum": "portal.models.Agency.Kind",
        "ReviewDecisionEnum": "negative_list.models.ReviewTask.Decision",
        "ReviewCycleStatusEnum": "negative_list.models.ReviewCycle.Status",
        "ConversionDecisionEnum": "requests_.models.choices.ConversionDecision",
    },
}

# --- Caches -------------------------------------------------------------------------
# CACHE_URL names the cache every web node shares (portal/cache_url.py: locmem://,
# file:///path, db://table, redis://); a bad one fails the check portal.E060.
CACHE_URL_DEFAULT = "locmem://gongkai"
CACHE_URL = env("CACHE_URL", CACHE_URL_DEFAULT)
# Public pages and API answers for anonymous visitors (portal/httpcache.py): on or
# off, at most this many entries, each kept at most this many seconds (a publication
# makes them unreachable at once; the timeout only bounds what a lost one costs).
HTTPCACHE_ENABLED = env_bool("GONGKAI_HTTPCACHE", True)
HTTPCACHE_MAX_ENTRIES = env_int("GONGKAI_HTTPCACHE_MAX_ENTRIES", 5000)
HTTPCACHE_TIMEOUT = env_int("GONGKAI_HTTPCACHE_TIMEOUT", 600)
# What browsers (max-age) and shared caches such as a CDN (s-maxage) may reuse
# without asking; after that they revalidate with If-None-Match and get a 304.
HTTPCACHE_MAX_AGE = env_int("GONGKAI_HTTPCACHE_MAX_AGE", 60)
HTTPCACHE_S_MAXAGE = env_int("GONGKAI_HTTPCACHE_S_MAXAGE", 60)
CACHES = cache_url.caches(
    CACHE_URL,
    fallback=CACHE_URL_DEFAULT,
    pages_max_entries=HTTPCACHE_MAX_ENTRIES,
    pages_timeout=HTTPCACHE_TIMEOUT,
)

# --- Search -------------------------------------------------------------------------
SEARCH_ENGINE = env("SEARCH_ENGINE", "embedded")
SEARCH_EMBEDDED_PATH = Path(
    env("SEARCH_EMBEDDED_PATH", str(VAR_DIR / "search.sqlite3"))
)
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", "gongkai")
ELASTICSEARCH_SHARDS = env_int("ELASTICSEARCH_SHARDS", 1)
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 0)
# A cluster-side analyzer (e.g. "ik_max_word") instead of the Python analysis chain.
ELASTICSEARCH_ANALYZER = env("ELASTICSEARCH_ANALYZER")

# --- Background jobs ----------------------------------------------------------------
# "thread": jobs run in a thread of the web process (nothing else to start);
# "worker": web nodes only queue them and `manage.py run_jobs --loop` runs them.
GONGKAI_JOBS_RUNNER = env("GONGKAI_JOBS_RUNNER", "thread")
# A running job whose heartbeat is older than this is marked failed.
GONGKAI_JOBS_STALE_SECONDS = env_int("GONGKAI_JOBS_STALE_SECONDS", 300)
# How often a running job writes its progress (and heartbeat).
GONGKAI_JOBS_PROGRESS_SECONDS = 1.0

# --- E-mail -------------------------------------------------------------------------
# Password-set links for imported staff (manage.py import_staff
# --send-password-links) and error reports leave through SMTP. The defaults are
# Django's own; a deployment names its relay.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Implicit TLS (port 465); Django refuses it together with EMAIL_USE_TLS.
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
# Seconds before a silent mail server counts as down (the message is retried).
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 20)
# How a message leaves after the transaction that queued it commits: "thread" (a
# short-lived thread, the response never waits), "inline" or "worker" (only
# `manage.py send_messages --loop` sends). The worker retries in every mode.
GONGKAI_MESSAGES_DELIVERY = env("GONGKAI_MESSAGES_DELIVERY", "thread")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Applicant data -----------------------------------------------------------------
# Key(s) for encrypting applicant identity at rest; a comma-separated list allows key
# rotation (the first encrypts, all decrypt). Production refuses to start without it.
GONGKAI_FIELD_KEYS = env_list("GONGKAI_FIELD_KEYS")

# Error reports (the mails mail_admins sends for a 500, the debug page) leave out
# the tracking secret in the path, the applicant's identity fields posted by any
# form, and the session and CSRF cookies (portal.logfilters).
DEFAULT_EXCEPTION_REPORTER_FILTER = "portal.logfilters.SafeReportFilter"
DEFAULT_EXCEPTION_REPORTER = "portal.logfilters.SafeExceptionReporter"
# The identity fields each app names, redacted by exact name on top of the pattern.
GONGKAI_REPORT_SENSITIVE_FIELDS = ["requests_.models.IDENTITY_FIELDS"]

# No log line carries an applicant's tracking secret (portal.logfilters): the
# filter sits on the loggers that write request paths and on every handler here.
_REDACT = ["redact_tracking_secrets"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_tracking_secrets": {"()": "portal.logfilters.redacting_filter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": _REDACT,
        },
        # Django's mail to ADMINS on a 500, redefined to carry the filter (the
        # subject is the log line; the body is SafeExceptionReporter's report).
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", *_REDACT],
        },
        # Django's own runserver handler, redefined to carry the filter.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": _REDACT,
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Every failed login is an AccessAttempt row already; keep the log quiet.
        "axes": {"level": "WARNING"},
        # Django's default sends django.* errors to ADMINS through its own handler;
        # this one carries the filter (the root's console still prints them).
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # On the loggers too, so the mail_admins handler gets the redacted record
        # as well.
        "django.request": {"filters": _REDACT},
        "django.security.csrf": {"filters": _REDACT},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": _REDACT,
        },
    },
}

PORTAL_NAME = _("政务公开平台")
