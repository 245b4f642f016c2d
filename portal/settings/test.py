"""Settings for the test suite: fast hashing, an isolated var dir, real engines.

DATABASE_URL selects PostgreSQL; without it the suite runs on SQLite. The
Elasticsearch tests read ELASTICSEARCH_URL from the environment.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "django-insecure-test-only-key"  # noqa: S105 - tests only
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
VAR_DIR = Path(env("GONGKAI_VAR_DIR") or tempfile.mkdtemp(prefix="gongkai-test-"))
MEDIA_ROOT = VAR_DIR / "media"
SEARCH_EMBEDDED_PATH = VAR_DIR / "search.sqlite3"
GONGKAI_FIELD_KEYS = ["bZMk10FG5r8-vk2tylrsxUQl4muHkd7QihdA93xM_Sc="]
# The page cache is advanced after commit, which a test inside one transaction never
# reaches: tests of other things see every change at once, as before.
# tests/portal/test_httpcache*.py turn it on (and commit).
HTTPCACHE_ENABLED = False
# Messages queued by a test are tried before the test goes on (no thread).
GONGKAI_MESSAGES_DELIVERY = "inline"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "10000/minute",
        "user": "10000/minute",
        "public": "10000/minute",
    },
}
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # One test database per run, so concurrent runs on one server never collide.
    DATABASES["default"]["TEST"] = {
        "NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"
    }
