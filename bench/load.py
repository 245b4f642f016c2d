"""Load the public portal under gunicorn and measure it with wrk.

Run::

    .venv/bin/python bench/load.py            # or: make load

Two set-ups, each with 100,000 published disclosures (``bench/corpus.py``, the
same fixed-seed corpus as ``bench/search.py``) plus the demo seeders' data
(users, the published negative lists of 黄浦区 and 市财政局, a few requests) laid
over the corpus's agencies:

* ``postgres``: PostgreSQL + Elasticsearch, a private cluster and a private node
  started from copies of ``scripts/postgres`` and ``scripts/elasticsearch`` under
  ``var/load/node/`` (never the shared ones in ``var/run``) and stopped at the end;
* ``embedded``: the default, SQLite + the embedded FTS5 engine, a copy of
  ``var/bench/column-100000.sqlite3`` (built by ``bench/search.py``) under
  ``var/load/``, indexed with ``search_rebuild``.

Each runs ``gunicorn portal.wsgi`` with 2 workers under
``portal.settings.production`` (DEBUG off, static files collected and served by
WhiteNoise).  wrk (Debian's package, installed when missing and root) sends a
weighted mix of public requests (``bench/load.lua``: column search with facets
and filters, disclosure pages, negative-list pages, the public search API, the
home page) for 60 s at 16 and at 64 connections from 127.0.0.1, three ways:

* ``cold``: the public page cache off (``GONGKAI_HTTPCACHE=false``), every
  request rendered, as before issue 20;
* ``cached``: the page cache on (``portal.httpcache``, in the production default
  ``CACHE_URL=db://gongkai_cache``, pages in ``gongkai_cache_pages``), warmed
  by one request to every path, the same requests as ``cold``;
* ``conditional``: the same server and paths, each request carrying the
  ``If-None-Match`` its path answered with, as a browser or CDN revalidating
  (the answer is 304 with no body);

and the same against one static file served by the same gunicorn, the ceiling,
in the same run.  It reports
throughput, latency p50/p95/p99 and errors (HTTP status >= 400, timeouts,
socket errors), prints a table and writes the "Load" section of
``bench/RESULTS.md`` between ``<!-- load:begin -->`` and ``<!-- load:end -->``,
leaving the rest of the file alone.

Options: ``--backends postgres embedded``, ``--connections 16 64``,
``--duration 60``, ``--static-duration 60``, ``--size 100000`` (disclosures in
the corpus; a smaller one only to try the script), ``--fresh`` (rebuild the prepared
SQLite copy and its index; the PostgreSQL cluster is always fresh),
``--no-write``, ``--report`` (rewrite the section from ``var/load/last-run.json``
without running).  Hand-written notes between ``<!-- load:notes:begin -->`` and
``<!-- load:notes:end -->`` inside the section are kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402 - the query set the search benchmark uses
from bench.stats import percentile  # noqa: E402

LOAD_DIR = ROOT / "var" / "load"
SOURCE_SQLITE = ROOT / "var" / "bench" / "column-100000.sqlite3"
RESULTS = ROOT / "bench" / "RESULTS.md"
LUA = ROOT / "bench" / "load.lua"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
BEGIN = "<!-- load:begin -->"
END = "<!-- load:end -->"
# Hand-written notes inside the block, carried over when the figures are rewritten.
NOTES_BEGIN = "<!-- load:notes:begin -->"
NOTES_END = "<!-- load:notes:end -->"
SIZE = 100_000
# The corpus size of a run (``--size``), handed to the --helper children.
SIZE_ENV = "GONGKAI_LOAD_SIZE"
# The three ways the mix is sent, and the static file (see the docstring).
TARGETS = {
    "cold": "mix, no page cache",
    "cached": "mix, page cache",
    "conditional": "mix, conditional (If-None-Match)",
    "static": "static file (ceiling)",
    "mix": "mix",  # runs saved before the page cache
}
MIXES = ("cold", "cached", "conditional", "mix")
# What issue 20 asks of the cached mix at this many connections.
GOAL_CONNECTIONS = 64
GOAL_SPEEDUP = 5.0
GOAL_OF_CEILING = 1 / 3
SAVED = LOAD_DIR / "last-run.json"

# --- the server -------------------------------------------------------------------

WORKERS = 2
# Threads per worker (gthread).  Each request waits on the database or the search
# engine part of its time; threads let a worker serve others meanwhile.
THREADS = 4
# Seconds a request may take before the client counts it as a timeout: gunicorn's
# default worker timeout, and below the usual proxy read timeout (nginx: 60 s).
CLIENT_TIMEOUT_S = 30
# Every load run comes from one address, far above the public API's anonymous rate
# (120/minute per address by default): the run raises it, and says so.
SETTINGS_OVERRIDES = {
    "API_ANON_RATE": "1000000/minute",
    "DATABASE_CONN_MAX_AGE": "60",
}

# --- the request mix ---------------------------------------------------------------

QUERIES = [
    *corpus.QUERIES,
    "养老服务",
    "最低生活保障标准",
    "公共租赁住房",
    "营商环境",
]
FILTERED = [
    # (query, extra parameters): a district, a year, a topic, an order, page 2.
    ("通知", {"agency": "310101000"}),
    ("预算", {"year": "2023"}),
    ("社会保险", {"agency": "310115000", "year": "2024"}),
    ("公告", {"ordering": "newest"}),
    ("规划 公示", {"agency": "310104000", "ordering": "newest"}),
    ("住房公积金", {"page": "2"}),
    ("", {"agency": "310101000", "year": "2022"}),
    ("行政处罚", {"year": "2021", "ordering": "oldest"}),
]


@dataclass(frozen=True)
class RequestClass:
    name: str
    weight: int
    label: str


# Weights for a public information portal: most visits land on a single disclosure
# (from search engines, feeds and links), then the column search, then the
# negative lists and machine clients of the API.
MIX = [
    RequestClass("disclosure", 35, "disclosure page `/disclosures/<索引号>/`"),
    RequestClass("search", 20, "column search with facets `/disclosures/?q=…`"),
    RequestClass(
        "search_filtered",
        10,
        "column search with filters (agency, year, order, page 2) and facets",
    ),
    RequestClass(
        "lists", 15, "negative lists: `/negative-lists/` and `/negative-lists/<code>/`"
    ),
    RequestClass("api", 15, "public search API `/api/v1/disclosures/?q=…`"),
    RequestClass("home", 5, "home page `/`"),
]
DISCLOSURE_SAMPLE = 500


def search_path(prefix: str, query: str, extra: dict[str, str]) -> str:
    params = {"q": query, **extra} if query else dict(extra)
    return f"{prefix}?{urllib.parse.urlencode(params)}"


def request_lines(sample: dict) -> dict[str, list[str]]:
    """The paths of each request class, from a sample of the database."""
    disclosures = [
        "/disclosures/" + urllib.parse.quote(index_no, safe="/") + "/"
        for index_no in sample["disclosures"]
    ]
    lists = ["/negative-lists/"] + [
        f"/negative-lists/{code}/" for code in sample["lists"]
    ]
    return {
        "disclosure": disclosures,
        "search": [search_path("/disclosures/", q, {}) for q in QUERIES],
        "search_filtered": [search_path("/disclosures/", q, e) for q, e in FILTERED],
        "lists": lists,
        "api": [search_path("/api/v1/disclosures/", q, {}) for q in QUERIES]
        + [search_path("/api/v1/disclosures/", q, e) for q, e in FILTERED[:4]],
        "home": ["/"],
    }


def classify(path: str, query: str) -> str:
    """The request class of a logged request (path without query, query)."""
    if path.startswith("/static/"):
        return "static"
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/negative-lists/"):
        return "lists"
    if path == "/disclosures/":
        keys = {part.split("=")[0] for part in query.split("&")}
        return "search_filtered" if keys - {"q"} else "search"
    if path.startswith("/disclosures/"):
        return "disclosure"
    return "home" if path == "/" else "other"


def write_requests(path: Path, lines: dict[str, list[str]], mix) -> None:
    rows = ["\t".join([c.name, str(c.weight), *lines[c.name]]) for c in mix if c.weight]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


# --- Django-side helpers (run in a subprocess with the set-up's environment) ------


def _django():
    import django

    django.setup()


def populate() -> None:
    """Fill an empty, migrated database with the benchmark corpus."""
    _django()
    from django.db import transaction

    from bench import corpus_db
    from requests_.models import Disclosure

    size = int(os.environ.get(SIZE_ENV, SIZE))
    if Disclosure.objects.count() >= size:
        return
    with transaction.atomic():
        corpus_db.save_disclosures(size, corpus_db.create_agencies())


def seed() -> None:
    """Run ``seed_demo`` (users, negative lists, requests) over the corpus.

    The corpus already has the city, the districts and their bureaux under
    codes of its own; demo agencies whose name a corpus agency already holds
    are left out, so the demo lists and users land on the corpus agencies.
    """
    _django()
    from portal import demo, extensions
    from portal.models import Agency

    codes = set(Agency.objects.values_list("code", flat=True))
    names = set(Agency.objects.values_list("name", flat=True))
    demo.DEPARTMENTS = [
        d for d in demo.DEPARTMENTS if d[0] in codes or d[1] not in names
    ]
    demo.SUBUNITS = [s for s in demo.SUBUNITS if s[0] in codes or s[1] not in names]
    demo.seed_agencies_and_users()
    for seeder in extensions.demo_seeders():
        seeder(stdout=sys.stdout)


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load."""
    _django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def index_state() -> None:
    """Print whether the configured engine answers a search (index up to date)."""
    _django()
    from search.engines import get_engine
    from search.engines.base import SearchEngineError, SearchQuery

    try:
        get_engine().search(SearchQuery(text="通知"))
    except SearchEngineError as exc:
        print(f"unusable: {exc}")
    else:
        print("ok")


def sample() -> None:
    """Print what the request list needs: index numbers, lists, versions."""
    _django()
    from django.db import connection

    from negative_list import selectors
    from requests_.models import Disclosure

    public = Disclosure.objects.public()
    count = public.count()
    ids = list(public.order_by("pk").values_list("index_no", flat=True))
    step = max(1, len(ids) // DISCLOSURE_SAMPLE)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    print(
        json.dumps(
            {
                "count": count,
                "disclosures": ids[::step][:DISCLOSURE_SAMPLE],
                "lists": [row.agency.code for row in selectors.published_lists()],
                "database": database,
            }
        )
    )


# --- processes ----------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[load {dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", flush=True)


def run(command: list[str], env: dict[str, str], **kwargs) -> str:
    done = subprocess.run(  # noqa: S603 - our own commands
        command, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}):\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run([str(PYTHON), "manage.py", *args], env)


def helper(env: dict[str, str], name: str) -> str:
    return run([str(PYTHON), str(Path(__file__)), "--helper", name], env)


def ensure_wrk() -> str:
    if shutil.which("wrk") is None:
        if os.geteuid() != 0:
            sys.exit("wrk is missing: run as root once, or apt-get install wrk")
        log("installing Debian's wrk")
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=apt)  # noqa: S607
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],  # noqa: S607
            check=True,
            env=apt,
            stdout=subprocess.DEVNULL,
        )
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)  # noqa: S607
    return (done.stdout + done.stderr).splitlines()[0].split(" Copyright")[0]


class Services:
    """A private PostgreSQL cluster and Elasticsearch node for this run.

    The scripts keep their state beside the project root they live in, so copies
    under ``var/load/node/scripts`` run instances of their own that never touch
    the shared ones in ``var/run``.
    """

    def __init__(self, heap: str) -> None:
        self.root = LOAD_DIR / "node"
        self.heap = heap
        self.started: list[str] = []

    def _script(self, name: str, command: str) -> str:
        scripts = self.root / "scripts"
        scripts.mkdir(parents=True, exist_ok=True)
        for file in (name, "_lib.sh"):
            shutil.copy2(ROOT / "scripts" / file, scripts / file)
        env = {**os.environ, "ES_JAVA_OPTS": f"-Xms{self.heap} -Xmx{self.heap}"}
        done = subprocess.run(  # noqa: S603 - our own script
            [str(scripts / name), command], capture_output=True, text=True, env=env
        )
        if done.returncode != 0:
            raise RuntimeError(f"{name} {command} failed:\n{done.stderr[-3000:]}")
        return done.stdout.strip()

    def start(self, name: str) -> str:
        self.started.append(name)
        return self._script(name, "start")

    def stop(self) -> None:
        for name in reversed(self.started):
            try:
                self._script(name, "stop")
            except RuntimeError as exc:
                log(str(exc))
        self.started = []

    def elasticsearch_version(self, url: str) -> str:
        with urllib.request.urlopen(  # noqa: S310 - our own node on 127.0.0.1
            f"{url}/_nodes/_local?filter_path=nodes.*.version", timeout=10
        ) as response:
            nodes = json.load(response)["nodes"]
        return "Elasticsearch " + next(iter(nodes.values()))["version"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# What bench/load.lua sends with every request (the page cache keys on language).
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-CN,zh;q=0.9"}


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    status, _, body = fetch(url, timeout)
    return status, body


def fetch(url: str, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    """GET ``url`` as wrk does; return status, headers and body."""
    request = urllib.request.Request(url, headers=HEADERS)  # noqa: S310 - 127.0.0.1
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


class Gunicorn:
    def __init__(self, env: dict[str, str], name: str) -> None:
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = LOAD_DIR / f"gunicorn-{name}.log"
        self.access_path = LOAD_DIR / f"access-{name}.log"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [
            str(GUNICORN),
            "portal.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={WORKERS}",
            "--worker-class=gthread",
            f"--threads={THREADS}",
            "--backlog=2048",
            f"--timeout={CLIENT_TIMEOUT_S}",
            "--graceful-timeout=10",
            "--keep-alive=5",
            "--error-logfile=-",
            f"--access-logfile={self.access_path}",
            "--access-logformat=%(M)s %(s)s %(U)s %(q)s",
            # gunicorn 27 opens a control socket in ~/.gunicorn by default, shared
            # by every gunicorn of the user: one of our own would clash with others.
            "--no-control-socket",
        ]

    def access_lines(self) -> int:
        if not self.access_path.exists():
            return 0
        with self.access_path.open("rb") as file:
            return sum(1 for _ in file)

    def server_times(self, skip: int) -> dict[str, list[float]]:
        """Milliseconds in the server per request class, from the access log."""
        times: dict[str, list[float]] = {}
        with self.access_path.open(encoding="utf-8") as file:
            for number, line in enumerate(file):
                if number < skip:
                    continue
                parts = line.split()
                if len(parts) < 3:
                    continue
                query = parts[3] if len(parts) > 3 else ""
                times.setdefault(classify(parts[2], query), []).append(float(parts[0]))
        return times

    def start(self) -> None:
        self.access_path.write_text("", encoding="utf-8")
        with self.log_path.open("w", encoding="utf-8") as log_file:
            # The portal logs to stderr; gunicorn's own messages go to the same file.
            self.process = subprocess.Popen(  # noqa: S603 - our own server
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log_file,
                stderr=log_file,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                status, _ = get(f"{self.url}/healthz", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /healthz; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


# --- wrk ---------------------------------------------------------------------------


@dataclass
class Result:
    backend: str
    target: str
    connections: int
    duration_s: float
    requests: int
    errors: dict[str, int]
    latency_us: dict[str, float]
    statuses: dict[str, int]
    sent: dict[str, int]
    load_before: float
    load_after: float
    server_ms: dict[str, list[float]] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def ms(self, key: str) -> float:
        return self.latency_us[key] / 1000


def wrk(
    url: str, requests_file: Path, connections: int, duration: int
) -> dict[str, object]:
    command = [
        "wrk",
        "--threads=2",
        f"--connections={connections}",
        f"--duration={duration}s",
        f"--timeout={CLIENT_TIMEOUT_S}s",
        "--latency",
        f"--script={LUA}",
        url,
        "--",
        str(requests_file),
    ]
    done = subprocess.run(  # noqa: S603 - wrk against 127.0.0.1
        command, capture_output=True, text=True, timeout=duration + 120
    )
    match = re.search(r"^LOADRESULT (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(match.group(1))


def measure(
    backend: str,
    target: str,
    server: Gunicorn,
    requests_file: Path,
    connections: int,
    duration: int,
) -> Result:
    before = os.getloadavg()[0]
    logged = server.access_lines()
    raw = wrk(server.url, requests_file, connections, duration)
    result = Result(
        backend=backend,
        target=target,
        connections=connections,
        duration_s=raw["duration_us"] / 1e6,
        requests=raw["requests"],
        errors=raw["errors"],
        latency_us=raw["latency_us"],
        statuses=raw["statuses"],
        sent=raw["sent"],
        load_before=before,
        load_after=os.getloadavg()[0],
        server_ms=server.server_times(logged),
    )
    log(
        f"{backend} {target} c={connections}: {result.rps:.1f} req/s, "
        f"p50/p95/p99 {result.ms('p50'):.0f}/{result.ms('p95'):.0f}/"
        f"{result.ms('p99'):.0f} ms, errors {result.errors}, "
        f"statuses {result.statuses}"
    )
    return result


# --- set-ups -----------------------------------------------------------------------


@dataclass
class Setup:
    name: str
    label: str
    env: dict[str, str]
    versions: list[str] = field(default_factory=list)
    count: int = 0
    prepare_s: float = 0.0


def base_env() -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SEARCH_", "ELASTICSEARCH_"))
        and key not in {"GONGKAI_VAR_DIR", "CACHE_URL", "API_ANON_RATE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GONGKAI_FIELD_KEYS": Fernet.generate_key().decode(),
            "GONGKAI_VAR_DIR": str(LOAD_DIR),
            "LOG_LEVEL": "WARNING",
            # No mail leaves a benchmark (production refuses SMTP without a host).
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            **SETTINGS_OVERRIDES,
        }
    )
    return env


def finish_setup(setup: Setup) -> None:
    """Demo lists, cache table, search index: what every set-up needs."""
    env = setup.env
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "createcachetable")
    helper(env, "seed")
    log(f"{setup.name}: search_rebuild")
    manage(env, "search_rebuild", "--quiet")


def prepare_embedded(env: dict[str, str], fresh: bool) -> Setup:
    database = LOAD_DIR / "embedded.sqlite3"
    index = LOAD_DIR / "embedded-search.sqlite3"
    ready = LOAD_DIR / "embedded.ready"
    env = {
        **env,
        "DATABASE_URL": f"sqlite:///{database}",
        "SEARCH_ENGINE": "embedded",
        "SEARCH_EMBEDDED_PATH": str(index),
    }
    setup = Setup("embedded", "SQLite + embedded FTS5", env)
    started = time.perf_counter()
    size = int(env.get(SIZE_ENV, SIZE))
    # The marker names the corpus size: a copy made by a trial --size is rebuilt.
    made = ready.read_text(encoding="utf-8").split()[-1] if ready.exists() else ""
    if fresh or made != str(size):
        ready.unlink(missing_ok=True)
        for path in LOAD_DIR.glob("embedded*.sqlite3*"):
            path.unlink()
        if SOURCE_SQLITE.exists() and size == SIZE:
            log(f"embedded: copying {SOURCE_SQLITE.relative_to(ROOT)}")
            shutil.copy2(SOURCE_SQLITE, database)
        else:
            log(f"embedded: loading {size:,} disclosures (no bench/search.py copy)")
            manage(env, "migrate", "--no-input", "-v", "0")
            helper(env, "populate")
        finish_setup(setup)
        ready.write_text(
            f"{dt.datetime.now(dt.UTC).isoformat()} {size}", encoding="utf-8"
        )
    else:
        log("embedded: reusing the prepared copy (--fresh to rebuild it)")
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "createcachetable")  # the page cache's table, when new
        state = helper(env, "index_state").strip()
        if state != "ok":
            log(f"embedded: index {state}; search_rebuild")
            manage(env, "search_rebuild", "--quiet")
    setup.prepare_s = time.perf_counter() - started
    return setup


def prepare_postgres(env: dict[str, str], services: Services) -> Setup:
    started = time.perf_counter()
    log("postgres: starting a private PostgreSQL cluster and Elasticsearch node")
    database_url = services.start("postgres")
    es_url = services.start("elasticsearch")
    env = {
        **env,
        "DATABASE_URL": database_url,
        "SEARCH_ENGINE": "elasticsearch",
        "ELASTICSEARCH_URL": es_url,
        "ELASTICSEARCH_INDEX_PREFIX": "gkload",
    }
    setup = Setup("postgres", "PostgreSQL + Elasticsearch", env)
    manage(env, "migrate", "--no-input", "-v", "0")
    log(f"postgres: loading {int(env.get(SIZE_ENV, SIZE)):,} disclosures")
    helper(env, "populate")
    finish_setup(setup)
    # What autovacuum and Elasticsearch's background merging would have done on a
    # site that has been running: planner statistics, merged segments.
    log("postgres: VACUUM ANALYZE, force-merging the index")
    helper(env, "analyze")
    request = urllib.request.Request(  # noqa: S310 - our own node on 127.0.0.1
        f"{es_url}/gkload*/_forcemerge?max_num_segments=1", method="POST"
    )
    with urllib.request.urlopen(request, timeout=600):  # noqa: S310
        pass
    setup.versions.append(services.elasticsearch_version(es_url))
    setup.prepare_s = time.perf_counter() - started
    return setup


def collectstatic(env: dict[str, str]) -> str:
    """Collect static files into var/load/static; return one file's URL path."""
    manage(env, "collectstatic", "--no-input", "--clear", "-v", "0")
    manifest = json.loads((LOAD_DIR / "static" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["portal/css/portal.css"]


def check_paths(
    server: Gunicorn, lines: dict[str, list[str]], static_path: str
) -> None:
    """Every path answers before the run: a broken page must fail here, loudly."""
    for paths in lines.values():
        for path in paths[:5]:
            status, body = get(server.url + path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    status, _ = get(server.url + static_path)
    assert status == 200, static_path


def with_etags(server: Gunicorn, lines: dict[str, list[str]]) -> dict[str, list[str]]:
    """Ask every path once; return "path ETag" entries (and warm the page cache).

    The second answer must come from the page cache (``X-Page-Cache: HIT``), or the
    cached run would measure something else: that fails here, loudly.
    """
    tagged: dict[str, list[str]] = {}
    for name, paths in lines.items():
        tagged[name] = []
        for path in paths:
            status, headers, _ = fetch(server.url + path)
            etag = headers.get("ETag")
            if status != 200 or not etag:
                raise RuntimeError(f"{path} answered {status} without an ETag")
            tagged[name].append(f"{path} {etag}")
        _, headers, _ = fetch(server.url + paths[0])
        if headers.get("X-Page-Cache") != "HIT":
            raise RuntimeError(f"{paths[0]} was not served from the page cache")
    return tagged


def serve_and_measure(
    setup: Setup,
    name: str,
    env: dict[str, str],
    runs: Callable[[Gunicorn], list[Result]],
) -> list[Result]:
    server = Gunicorn(env, f"{setup.name}-{name}")
    server.start()
    try:
        results = runs(server)
    finally:
        server.stop()
    errors = [
        line
        for line in server.log_path.read_text(encoding="utf-8").splitlines()
        if "ERROR" in line or "CRITICAL" in line or "WORKER TIMEOUT" in line
    ]
    if errors:
        log(
            f"{setup.name} {name}: gunicorn logged {len(errors)} errors, "
            f"e.g. {errors[:3]}"
        )
    return results


def run_setup(setup: Setup, static_path: str, args: argparse.Namespace) -> list[Result]:
    info = json.loads(helper(setup.env, "sample"))
    setup.count = info["count"]
    setup.versions.insert(0, info["database"])
    lines = request_lines(info)
    mixed = LOAD_DIR / f"requests-{setup.name}.tsv"
    write_requests(mixed, lines, MIX)
    conditional = LOAD_DIR / f"requests-{setup.name}-conditional.tsv"
    static = LOAD_DIR / "requests-static.tsv"
    static.write_text(f"static\t1\t{static_path}\n", encoding="utf-8")

    def cold(server: Gunicorn) -> list[Result]:
        check_paths(server, lines, static_path)
        log(f"{setup.name}: cold, warming up ({args.warmup} s)")
        wrk(server.url, mixed, 16, args.warmup)
        return [
            measure(setup.name, "cold", server, mixed, c, args.duration)
            for c in args.connections
        ]

    def cached(server: Gunicorn) -> list[Result]:
        check_paths(server, lines, static_path)
        log(f"{setup.name}: cached, asking every path once for its ETag")
        write_requests(conditional, with_etags(server, lines), MIX)
        wrk(server.url, mixed, 16, args.warmup)
        results = []
        for c in args.connections:
            results.append(
                measure(setup.name, "cached", server, mixed, c, args.duration)
            )
            results.append(
                measure(
                    setup.name, "conditional", server, conditional, c, args.duration
                )
            )
            results.append(
                measure(setup.name, "static", server, static, c, args.static_duration)
            )
        return results

    off = {**setup.env, "GONGKAI_HTTPCACHE": "false"}
    on = {**setup.env, "GONGKAI_HTTPCACHE": "true"}
    return serve_and_measure(setup, "cold", off, cold) + serve_and_measure(
        setup, "cached", on, cached
    )


# --- report ------------------------------------------------------------------------


def table(results: list[Result], setups: dict[str, Setup]) -> list[str]:
    lines = [
        "| set-up | target | connections | req/s | p50 ms | p95 ms | p99 ms | max ms "
        "| errors (status / timeout / socket) | requests |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        socket_errors = r.errors["connect"] + r.errors["read"] + r.errors["write"]
        target = TARGETS.get(r.target, r.target)
        lines.append(
            f"| {setups[r.backend].label} | {target} | {r.connections} "
            f"| {r.rps:,.1f} | {r.ms('p50'):.0f} | {r.ms('p95'):.0f} "
            f"| {r.ms('p99'):.0f} | {r.ms('max'):.0f} "
            f"| {r.errors['status']} / {r.errors['timeout']} / {socket_errors} "
            f"| {r.requests:,} |"
        )
    return lines


def server_table(results: list[Result], setups: dict[str, Setup]) -> list[str]:
    """Time inside gunicorn per request class (no queueing), from the access log."""
    names = [c.name for c in MIX] + ["static"]
    lines = [
        "| set-up | target | connections | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]
    by_key = {}
    for r in results:
        key = (r.backend, r.target, r.connections)
        merged = by_key.setdefault(key, {})
        for name, values in r.server_ms.items():
            merged.setdefault(name, []).extend(values)
    for (backend, target, connections), merged in by_key.items():
        cells = []
        for name in names:
            values = merged.get(name, [])
            cells.append(
                f"{percentile(values, 50):.0f} / {percentile(values, 95):.0f}"
                if values
                else "–"
            )
        lines.append(
            f"| {setups[backend].label} | {target} | {connections} | "
            + " | ".join(cells)
            + " |"
        )
    return lines


def goal_lines(results: list[Result], setups: dict[str, Setup]) -> list[str]:
    """The cached mix against the cold one and the static ceiling of the same run."""
    lines = [
        "| set-up | connections | cold req/s | cached req/s | cached ÷ cold "
        "| conditional req/s | static req/s | cached ÷ static | errors (cached) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    found = {(r.backend, r.target, r.connections): r for r in results}
    for backend, setup in setups.items():
        for connections in sorted({r.connections for r in results}):
            runs = {
                t: found.get((backend, t, connections))
                for t in ("cold", "cached", "conditional", "static")
            }
            if runs["cold"] is None or runs["cached"] is None:
                continue
            cold, cached = runs["cold"].rps, runs["cached"].rps
            static = runs["static"].rps if runs["static"] else 0.0
            conditional = runs["conditional"].rps if runs["conditional"] else 0.0
            lines.append(
                f"| {setup.label} | {connections} | {cold:,.1f} | {cached:,.1f} "
                f"| {cached / cold:.1f}× | {conditional:,.1f} | {static:,.1f} "
                f"| {cached / static if static else 0:.0%} "
                f"| {runs['cached'].error_count} |"
            )
    return lines


def goal_met(results: list[Result]) -> bool | None:
    """Issue 20: at 64 connections, cached ≥ 5× cold and ≥ ⅓ static, no errors."""
    found = {(r.backend, r.target, r.connections): r for r in results}
    verdicts = []
    for backend in {r.backend for r in results}:
        cold = found.get((backend, "cold", GOAL_CONNECTIONS))
        cached = found.get((backend, "cached", GOAL_CONNECTIONS))
        static = found.get((backend, "static", GOAL_CONNECTIONS))
        if not (cold and cached and static):
            continue
        verdicts.append(
            cached.rps >= GOAL_SPEEDUP * cold.rps
            and cached.rps >= GOAL_OF_CEILING * static.rps
            and cached.error_count == 0
        )
    return all(verdicts) if verdicts else None


def mix_lines(results: list[Result]) -> list[str]:
    total = sum(c.weight for c in MIX)
    sent: dict[str, int] = {}
    for r in results:
        if r.target in MIXES:
            for name, count in r.sent.items():
                sent[name] = sent.get(name, 0) + count
    all_sent = sum(sent.values()) or 1
    lines = ["| class | weight | sent (all mixed runs) | what |", "|---|---|---|---|"]
    for c in MIX:
        lines.append(
            f"| {c.name} | {c.weight / total:.0%} "
            f"| {sent.get(c.name, 0) / all_sent:.1%} | {c.label} |"
        )
    return lines


def statuses_line(results: list[Result]) -> str:
    parts = []
    for r in results:
        codes = ", ".join(f"{k}: {v:,}" for k, v in sorted(r.statuses.items()))
        parts.append(f"{r.backend}/{r.target}/c{r.connections} ({codes})")
    return "; ".join(parts)


def section(
    results: list[Result],
    setups: dict[str, Setup],
    wrk_version: str,
    runtime: float,
    when: str,
) -> str:
    import gunicorn

    import django

    versions = "; ".join(
        f"{s.label}: {', '.join(s.versions)} ({s.count:,} public disclosures)"
        for s in setups.values()
    )
    loads = [r.load_before for r in results] + [r.load_after for r in results]
    zero = all(r.error_count == 0 for r in results if r.connections >= 64)
    overrides = ", ".join(f"`{k}={v}`" for k, v in SETTINGS_OVERRIDES.items())
    body = [
        "## Load",
        "",
        "Generated by `bench/load.py` (`make load`); see its docstring for the method. "
        "Throughput and latency of public traffic through gunicorn, measured by wrk "
        "from 127.0.0.1 on the same machine.",
        "",
        f"- Run: {when} UTC, {os.cpu_count()} CPUs "
        f"shared by the server, the database, the search engine, wrk and other "
        f"sessions' test suites; 1-minute load average {min(loads):.1f}–"
        f"{max(loads):.1f} around the measurements; full run {runtime / 60:.0f} min.",
        f"- Versions: Python {platform.python_version()}, Django {django.__version__}, "
        f"gunicorn {gunicorn.__version__}, {wrk_version}; {versions}.",
        f"- Server: `gunicorn portal.wsgi` with {WORKERS} workers × {THREADS} threads "
        f"(gthread), backlog 2048, under `portal.settings.production` (DEBUG off, "
        "WhiteNoise serving collected, compressed, hashed static files, the "
        "database cache: `CACHE_URL=db://gongkai_cache`, public pages in "
        "`gongkai_cache_pages`). Requests carry `X-Forwarded-Proto: https` as "
        "from the TLS load balancer, so the SSL redirect and HSTS stay on.",
        f"- Settings overridden for the run (environment): {overrides}: the whole "
        "load comes from one address, which the anonymous API throttle (120/minute "
        "per address) would otherwise answer with 429; and persistent database "
        "connections, as a deployment would configure them.",
        f"- Load generator: wrk ({wrk_version}), 2 threads, `bench/load.lua` for the "
        "weighted mix and wrk's own latency histogram. Why wrk: packaged by Debian, "
        "C with epoll, so one process holds 64 keep-alive connections on little "
        "CPU (a Python generator would compete with the server "
        "for the two cores), and Lua scripting covers the mix; "
        f"{args_text(results)}; client timeout {CLIENT_TIMEOUT_S} s. Errors = HTTP "
        "status ≥ 400 + timeouts + socket errors (connect, read, write). Latency is "
        "what a client sees, queueing at 2 workers included.",
        f"- Zero errors at 64 connections: **{'met' if zero else 'MISSED'}**.",
        "- Three ways (issue 20): **cold** = the page cache off "
        "(`GONGKAI_HTTPCACHE=false`, every request rendered); **cached** = the "
        "page cache on, warmed by one request to every path of the mix, then "
        "the same requests; **conditional** = the same server and paths, each "
        "request carrying the `If-None-Match` its path answered with (answered "
        "304 before any view runs). Static = one hashed CSS file through "
        "WhiteNoise on the cached server, the ceiling.",
        f"- Goal at {GOAL_CONNECTIONS} connections: cached ≥ {GOAL_SPEEDUP:.0f}× "
        "cold and ≥ ⅓ of the static ceiling, zero errors: "
        f"**{goal_text(goal_met(results))}**.",
        "",
        *goal_lines(results, setups),
        "",
        *table(results, setups),
        "",
        "Time inside gunicorn per request class, p50 / p95 ms (access log: from a "
        "worker thread taking the request to the response sent, waits for the "
        "GIL behind the worker's other threads included; queueing in front of the "
        "workers is the rest of the client's latency):",
        "",
        *server_table(results, setups),
        "",
        "Request mix (each request picks a class by weight, then a path from the "
        f"class: {len(QUERIES)} queries, {len(FILTERED)} filtered searches, "
        f"{DISCLOSURE_SAMPLE} disclosures spread over the corpus, the published "
        "negative lists):",
        "",
        *mix_lines(results),
        "",
        f"Status codes seen: {statuses_line(results)}.",
    ]
    return "\n".join(body)


def goal_text(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "not measured"}[met]


def args_text(results: list[Result]) -> str:
    durations = sorted({round(r.duration_s) for r in results if r.target in MIXES})
    return f"{'/'.join(map(str, durations))} s per mixed run"


def write_results(text: str) -> None:
    """Replace the load block of RESULTS.md; keep its hand-written notes."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    notes = re.search(
        re.escape(NOTES_BEGIN) + ".*?" + re.escape(NOTES_END), current, re.DOTALL
    )
    if notes:
        text += "\n\n" + notes.group(0)
    block = f"{BEGIN}\n{text}\n{END}\n"
    if BEGIN in current and END in current:
        start = current.index(BEGIN)
        stop = current.index(END) + len(END)
        tail = current[stop:].lstrip("\n")
        updated = current[:start] + block + ("\n" + tail if tail else "")
    else:
        updated = current.rstrip("\n") + ("\n\n" if current else "") + block
    RESULTS.write_text(updated, encoding="utf-8")


# The steps the script runs of itself in a child process, by ``--helper NAME``.
HELPERS: dict[str, Callable[[], None]] = {
    "populate": populate,
    "seed": seed,
    "analyze": analyze,
    "index_state": index_state,
    "sample": sample,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--helper", choices=list(HELPERS))
    parser.add_argument(
        "--backends",
        nargs="+",
        default=["postgres", "embedded"],
        choices=["postgres", "embedded"],
    )
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--static-duration", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--es-heap", default="1g")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--report",
        action="store_true",
        help=f"Only rewrite the section from the last run ({SAVED.name}).",
    )
    args = parser.parse_args()
    if args.helper:
        HELPERS[args.helper]()
        return

    if args.report:
        report(args.no_write)
        return
    started = time.perf_counter()
    LOAD_DIR.mkdir(parents=True, exist_ok=True)
    wrk_version = ensure_wrk()
    env = {**base_env(), SIZE_ENV: str(args.size)}
    static_path = collectstatic(env)
    services = Services(args.es_heap)
    setups: dict[str, Setup] = {}
    results: list[Result] = []
    try:
        for backend in args.backends:
            if backend == "postgres":
                setup = prepare_postgres(env, services)
            else:
                setup = prepare_embedded(env, args.fresh)
            log(f"{backend}: ready in {setup.prepare_s:.0f} s")
            setups[backend] = setup
            results += run_setup(setup, static_path, args)
            services.stop()
    finally:
        services.stop()
    runtime = time.perf_counter() - started
    saved = {
        "when": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}",
        "runtime": runtime,
        "wrk_version": wrk_version,
        "setups": [
            {key: value for key, value in asdict(s).items() if key != "env"}
            for s in setups.values()
        ],
        "results": [asdict(r) for r in results],
    }
    SAVED.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    log(f"done in {runtime / 60:.1f} min; figures saved in {SAVED}")
    report(args.no_write)


def report(no_write: bool) -> None:
    """Print the section from the saved figures and write it into RESULTS.md."""
    saved = json.loads(SAVED.read_text(encoding="utf-8"))
    setups = {s["name"]: Setup(env={}, **s) for s in saved["setups"]}
    results = [Result(**r) for r in saved["results"]]
    text = section(
        results, setups, saved["wrk_version"], saved["runtime"], saved["when"]
    )
    print(text)
    if not no_write:
        write_results(text)


if __name__ == "__main__":
    main()
