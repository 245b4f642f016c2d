"""Settings for a real deployment.

Secrets and hosts come only from the environment; without them the portal refuses
to start rather than run with a guessable key or accept any Host header.
"""

from django.core.exceptions import ImproperlyConfigured

from portal import cache_url

from .base import *  # noqa: F403
from .base import (
    HTTPCACHE_MAX_ENTRIES,
    HTTPCACHE_TIMEOUT,
    env,
    env_bool,
    env_int,
    env_list,
)

MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY is not set. Generate one with "  # noqa: S105 - a message
    "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
)
MISSING_ALLOWED_HOSTS = (
    "DJANGO_ALLOWED_HOSTS is not set. Give the portal's host names, comma-separated."
)
MISSING_FIELD_KEYS = (
    "GONGKAI_FIELD_KEYS is not set. It encrypts applicant identity; generate one "
    "with `python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'`."
)

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(MISSING_SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(MISSING_ALLOWED_HOSTS)
GONGKAI_FIELD_KEYS = env_list("GONGKAI_FIELD_KEYS")
if not GONGKAI_FIELD_KEYS:
    raise ImproperlyConfigured(MISSING_FIELD_KEYS)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# No relay is assumed: without DJANGO_EMAIL_HOST the SMTP backend fails the
# messaging.E001 check instead of queueing letters to a localhost that has none.
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "")

# TLS is terminated at the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = False

# Several web nodes share one cache, so throttling counts across them and a page
# cached by one node serves the others: by default the database's own cache tables
# (`manage.py createcachetable`), or CACHE_URL (portal/cache_url.py).
CACHE_URL_DEFAULT = "db://gongkai_cache"
CACHE_URL = env("CACHE_URL", CACHE_URL_DEFAULT)
CACHES = cache_url.caches(
    CACHE_URL,
    fallback=CACHE_URL_DEFAULT,
    pages_max_entries=HTTPCACHE_MAX_ENTRIES,
    pages_timeout=HTTPCACHE_TIMEOUT,
)
