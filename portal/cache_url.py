"""``CACHE_URL``: one variable naming the cache every web node shares.

Django 5.2 has no URL form for ``CACHES``; this module reads one. Pure Python, so
the settings can import it before Django is set up.

``locmem://NAME``
    Memory of one process. Each gunicorn worker and each node has its own: fine
    for development and one-process demos, wrong for several nodes (check
    ``portal.W040``).
``file:///ABSOLUTE/PATH``
    Files in a directory; shared by the nodes only if they mount it.
``db://TABLE``
    A table in the portal's database (``manage.py createcachetable``), shared by
    every node that shares the database. The production default.
``redis://HOST:PORT/DB`` (or ``rediss://``)
    Django's ``RedisCache``; needs the ``redis`` package.

``?max_entries=N`` bounds the entries of the locmem, file and database backends.
The public page cache (``portal.httpcache``) lives beside the default cache under
the alias ``pages``: its own locmem name, sub-directory, table
(``TABLE_pages``) or key prefix, so culling pages never evicts a throttle counter.
"""

from __future__ import annotations

import importlib.util
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

PAGES_ALIAS = "pages"
# Backends every web node shares (given one database, one Redis, one mount).
SHARED_SCHEMES = ("file", "db", "redis", "rediss")


class CacheUrlError(ValueError):
    """A ``CACHE_URL`` that names no usable cache."""


def _options(query: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key, values in parse_qs(query).items():
        if key != "max_entries":
            raise CacheUrlError(f"CACHE_URL: unknown parameter {key!r}")
        try:
            options["MAX_ENTRIES"] = int(values[-1])
        except ValueError as exc:
            raise CacheUrlError("CACHE_URL: max_entries must be a number") from exc
    return options


def _locmem(url: str, parts: SplitResult) -> tuple[dict, dict]:
    name = parts.netloc + parts.path or "gongkai"
    default = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
    }
    return default, {**default, "LOCATION": f"{name}-{PAGES_ALIAS}"}


def _file(url: str, parts: SplitResult) -> tuple[dict, dict]:
    if parts.netloc or not parts.path.startswith("/"):
        raise CacheUrlError("CACHE_URL: file:// needs an absolute path, file:///…")
    default = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": parts.path,
    }
    pages = parts.path.rstrip("/") + f"/{PAGES_ALIAS}"
    return default, {**default, "LOCATION": pages}


def _db(url: str, parts: SplitResult) -> tuple[dict, dict]:
    table = parts.netloc or parts.path.strip("/")
    if not table or not table.replace("_", "").isalnum():
        raise CacheUrlError("CACHE_URL: db:// needs a table name, db://TABLE")
    default = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": table,
    }
    return default, {**default, "LOCATION": f"{table}_{PAGES_ALIAS}"}


def _redis(url: str, parts: SplitResult) -> tuple[dict, dict]:
    if importlib.util.find_spec("redis") is None:
        raise CacheUrlError(
            "CACHE_URL: redis:// needs the redis package (pip install redis)"
        )
    if parts.query:
        raise CacheUrlError("CACHE_URL: Redis bounds itself (maxmemory)")
    default = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
    }
    return default, {**default, "KEY_PREFIX": PAGES_ALIAS}


BACKENDS = {
    "locmem": _locmem,
    "file": _file,
    "db": _db,
    "redis": _redis,
    "rediss": _redis,
}


def parse(url: str, *, pages_max_entries: int, pages_timeout: int) -> dict[str, Any]:
    """Return ``CACHES`` (``default`` and ``pages``) for ``url``; raise on a bad one."""
    parts = urlsplit(url)
    builder = BACKENDS.get(parts.scheme.lower())
    if builder is None:
        raise CacheUrlError(
            f"CACHE_URL: unknown scheme {parts.scheme!r}; use one of "
            + ", ".join(f"{s}://" for s in BACKENDS)
        )
    options = _options(parts.query)
    default, pages = builder(url, parts)
    if options:
        default["OPTIONS"] = options
    if "redis" not in default["BACKEND"].lower():
        pages["OPTIONS"] = {"MAX_ENTRIES": pages_max_entries}
    pages["TIMEOUT"] = pages_timeout
    return {"default": default, PAGES_ALIAS: pages}


def caches(
    url: str, *, fallback: str, pages_max_entries: int, pages_timeout: int
) -> dict[str, Any]:
    """``parse(url)``, or ``parse(fallback)`` when ``url`` is bad.

    The settings never fail on a bad URL: the system check ``portal.E060``
    names the mistake, which a traceback at import would hide.
    """
    kwargs = {"pages_max_entries": pages_max_entries, "pages_timeout": pages_timeout}
    try:
        return parse(url, **kwargs)
    except CacheUrlError:
        return parse(fallback, **kwargs)


def is_shared(url: str) -> bool:
    """Whether every web node reaches the same cache through ``url``."""
    return urlsplit(url).scheme.lower() in SHARED_SCHEMES
