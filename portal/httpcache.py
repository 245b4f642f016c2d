"""Public pages at the speed of a file: validators, a shared page cache, 304s.

Apps opt their public views in by URL name (``register_public`` in their
``AppConfig.ready()``), so the views stay as they are. For an anonymous ``GET`` of
such a view, ``HttpCacheMiddleware``, before the view runs:

1. reads the **publication generation** (``current()``: one row, advanced after
   every commit that changes what the public sees) and derives from it, the
   language and the normalised URL a weak ``ETag`` and a ``Last-Modified``;
2. answers a matching ``If-None-Match`` / ``If-Modified-Since`` with 304;
3. serves the page from the ``pages`` cache (``CACHE_URL``, shared by the nodes)
   when it holds it under that key;
4. otherwise runs the view and keeps the answer, with ``Cache-Control: public,
   max-age, s-maxage`` and the validators, when it is safe to share: status 200
   or a 410 tombstone, no cookie set, no CSRF token used, nothing put in the
   session, no flash message shown.

Everything else (every response to a signed-in user, every form, every page under
a tracking link, every error) leaves with ``Cache-Control: private, no-store``
unless its view said otherwise, and a signed-in user's requests never touch the
cache. A key holds the generation, so a publication makes every older entry
unreachable at once on every node; nothing needs deleting.

The generation advances (``advance()``, after commit) on:

* an audit event whose verb an app registered as public (``register_public_verbs``:
  publish, withdraw, import, a list version, an agency's name);
* the search index changing (``search.sync.apply`` calls ``changed()``);
* a scheduled publication coming due: apps register ``register_schedule`` a
  function giving their next scheduled moment; the first request after it
  advances the generation;
* the local date changing (part of the key): pages showing "today" roll over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.checks import Error, Warning, register
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from portal import cache_url
from portal.cache_url import PAGES_ALIAS

logger = logging.getLogger(__name__)

# Responses larger than this are served but not kept (open-data files, say).
MAX_BODY_BYTES = 2 * 1024 * 1024
# Statuses whose page is the same for everyone until the next publication.
CACHEABLE_STATUSES = frozenset({200, 410})
# Headers a kept page carries back out; the outer middleware add their own again.
KEPT_HEADERS = frozenset(
    {"content-type", "content-language", "vary", "content-disposition", "link"}
)
PRIVATE = "private, no-store"
MARK = "X-Page-Cache"  # HIT, MISS or BYPASS: how the page was produced

# --- registries ----------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """How one URL name is cached: ``accept`` keys an API on its Accept header."""

    accept: bool = False


PUBLIC_VIEWS: dict[str, Policy] = {}
PUBLIC_VERBS: set[str] = set()
SCHEDULES: dict[str, Callable[[dt.datetime], dt.datetime | None]] = {}


def register_public(*url_names: str, api: bool = False) -> None:
    """Opt the views named ``url_names`` (``"app:name"``) into public caching.

    Only views whose anonymous answer depends on nothing but what is published
    (and the language and URL) belong here; ``api`` for content-negotiated ones.
    """
    for name in url_names:
        PUBLIC_VIEWS[name] = Policy(accept=api)


def register_public_verbs(*prefixes: str) -> None:
    """Audit verbs (or verb prefixes ending in ".") that change public pages."""
    PUBLIC_VERBS.update(prefixes)


def register_schedule(
    key: str, next_due: Callable[[dt.datetime], dt.datetime | None]
) -> None:
    """``next_due(now)`` gives the next moment something becomes public by itself."""
    SCHEDULES[key] = next_due


def is_public_verb(verb: str) -> bool:
    return any(
        verb == prefix or (prefix.endswith(".") and verb.startswith(prefix))
        for prefix in PUBLIC_VERBS
    )


# --- the generation -------------------------------------------------------------


@dataclass(frozen=True)
class Generation:
    token: str
    value: int
    changed_at: dt.datetime
    next_due: dt.datetime | None

    def key(self) -> str:
        return f"{self.token}.{self.value}.{timezone.localdate().isoformat()}"

    def last_modified(self, now: dt.datetime) -> dt.datetime | None:
        """The moment the public state last changed, once that second is over.

        HTTP dates count whole seconds; a change later in the same second would
        carry the same date, so none is given until the second has passed.
        """
        midnight = timezone.make_aware(
            dt.datetime.combine(timezone.localdate(now), dt.time())
        )
        changed = max(self.changed_at, midnight).replace(microsecond=0)
        if now - changed < dt.timedelta(seconds=1):
            return None
        return changed


def _model():
    from portal.models import PublicationGeneration

    return PublicationGeneration


def _next_due(now: dt.datetime) -> dt.datetime | None:
    moments = [m for fn in SCHEDULES.values() if (m := fn(now)) is not None]
    return min(moments, default=None)


def _moment(value: dt.datetime | str | None) -> dt.datetime | None:
    """A datetime column read raw: aware already (PostgreSQL) or UTC text (SQLite)."""
    if value is None or (isinstance(value, dt.datetime) and value.tzinfo):
        return value
    moment = value if isinstance(value, dt.datetime) else parse_datetime(value)
    return moment.replace(tzinfo=dt.UTC)


def _read() -> Generation | None:
    # Every public request asks: one plain SELECT by key, without the ORM's cost
    # (it took more than the rest of a cached answer).
    table = connection.ops.quote_name(_model()._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT token, value, changed_at, next_due FROM {table} "  # noqa: S608
            "WHERE id = 1"
        )
        row = cursor.fetchone()
    if row is None:
        return None
    token, value, changed_at, next_due = row
    return Generation(token, int(value), _moment(changed_at), _moment(next_due))


def _create(now: dt.datetime) -> None:
    try:
        with transaction.atomic():
            _model().objects.create(
                pk=1,
                token=secrets.token_hex(4),
                changed_at=now,
                next_due=_next_due(now),
            )
    except IntegrityError:
        pass  # another process made it first


def advance() -> None:
    """Move the generation on now: every cached page and validator goes stale."""
    now = timezone.now()
    updated = (
        _model()
        .objects.filter(pk=1)
        .update(value=F("value") + 1, changed_at=now, next_due=_next_due(now))
    )
    if not updated:
        _create(now)


def changed() -> None:
    """Something public changed: advance after the surrounding commit."""
    transaction.on_commit(advance)


def audit_recorded(verb: str) -> None:
    """Called by ``portal.audit.record`` for every event."""
    if is_public_verb(verb):
        changed()


def current() -> Generation:
    """The generation now, advanced first if a scheduled publication came due."""
    generation = _read()
    now = timezone.now()
    if generation is None:
        _create(now)
        generation = _read()
    elif generation.next_due is not None and generation.next_due <= now:
        advance()
        generation = _read()
    return generation


# --- keys and headers --------------------------------------------------------------


def normalized_query(request: HttpRequest) -> str:
    """The query with its parameters in one order and empty ones left out."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=False)
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def page_key(request: HttpRequest, generation: Generation, policy: Policy) -> str:
    parts = [
        generation.key(),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        request.scheme,
        request.get_host(),
        request.path,
        normalized_query(request),
        request.META.get("HTTP_ACCEPT", "")[:200] if policy.accept else "",
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def _public_headers(
    response: HttpResponse, etag: str, last_modified: dt.datetime | None
) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = (
        f"public, max-age={settings.HTTPCACHE_MAX_AGE}, "
        f"s-maxage={settings.HTTPCACHE_S_MAXAGE}"
    )
    # The page differs by language (header or cookie) and for a signed-in user.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))


# --- the middleware -------------------------------------------------------------


@dataclass
class _State:
    key: str
    etag: str
    last_modified: dt.datetime | None
    served: bool = False


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _carries_private_state(request: HttpRequest) -> bool:
    """A token, a pending flash message or a session: not a plain anonymous visit."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    if "messages" in request.COOKIES:  # CookieStorage's cookie
        return True
    session = getattr(request, "session", None)
    return bool(
        session is not None
        and settings.SESSION_COOKIE_NAME in request.COOKIES
        and not session.is_empty()
    )


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this answer to an anonymous visitor is the same for everyone."""
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (
        messages._queued_messages or getattr(messages, "_loaded_data", None)
    ):
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-store", "no-cache"))


def _serve_kept(kept: tuple) -> HttpResponse:
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _keep(key: str, response: HttpResponse) -> None:
    if len(response.content) > MAX_BODY_BYTES:
        return
    headers = [(k, v) for k, v in response.items() if k.lower() in KEPT_HEADERS]
    try:
        caches[PAGES_ALIAS].set(key, (response.status_code, headers, response.content))
    except Exception:  # a cache down or full never fails the page
        logger.warning("page cache: could not keep a page", exc_info=True)


class HttpCacheMiddleware:
    """Validators, 304s and the shared page cache for the registered public views."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state: _State | None = getattr(request, "_httpcache", None)
        if state is not None and state.served:
            return response
        if (
            state is not None
            and request.method == "GET"
            and not _signed_in(request)
            and _shareable(request, response)
        ):
            _public_headers(response, state.etag, state.last_modified)
            _keep(state.key, response)
            response[MARK] = "MISS"
            return response
        if _signed_in(request) or "Cache-Control" not in response:
            response["Cache-Control"] = PRIVATE
        if state is not None:
            response[MARK] = "BYPASS"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.HTTPCACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        policy = PUBLIC_VIEWS.get(match.view_name) if match else None
        if policy is None or _signed_in(request) or _carries_private_state(request):
            return None
        try:
            generation = current()
        except DatabaseError:
            logger.warning("page cache: no publication generation", exc_info=True)
            return None
        key = page_key(request, generation, policy)
        state = _State(
            key=key,
            etag=f'W/"{key[:24]}"',
            last_modified=generation.last_modified(timezone.now()),
        )
        request._httpcache = state
        last_modified = state.last_modified.timestamp() if state.last_modified else None
        not_modified = get_conditional_response(
            request, etag=state.etag, last_modified=last_modified
        )
        if not_modified is not None and not_modified.status_code == 304:
            state.served = True
            _public_headers(not_modified, state.etag, state.last_modified)
            return not_modified
        try:
            kept = caches[PAGES_ALIAS].get(key)
        except Exception:
            logger.warning("page cache: could not read", exc_info=True)
            kept = None
        if kept is None:
            return None
        state.served = True
        response = _serve_kept(kept)
        _public_headers(response, state.etag, state.last_modified)
        response[MARK] = "HIT"
        return response


# --- system checks ---------------------------------------------------------------


@register()
def check_cache_url(app_configs, **kwargs) -> list:
    """A CACHE_URL that names no usable cache is an error."""
    url = getattr(settings, "CACHE_URL", "")
    try:
        cache_url.parse(url, pages_max_entries=1, pages_timeout=1)
    except cache_url.CacheUrlError as exc:
        return [
            Error(
                f"{exc} (CACHE_URL={url!r}); the portal runs on its default cache.",
                hint="Use locmem://NAME, file:///absolute/path, db://table or "
                "redis://host:6379/0 (with the redis package installed).",
                id="portal.E060",
            )
        ]
    return []


@register(deploy=True)
def check_cache_shared(app_configs, **kwargs) -> list:
    """``check --deploy``: a cache of one process does not serve several nodes."""
    url = getattr(settings, "CACHE_URL", "")
    if cache_url.is_shared(url):
        return []
    return [
        Warning(
            f"CACHE_URL={url!r} is memory of one process: each worker and node "
            "keeps its own page cache and throttle counts.",
            hint="With more than one web node use db://TABLE (shared through "
            "the database) or redis://; file:// only on storage all nodes mount.",
            id="portal.W060",
        )
    ]
