"""Attack family: guessing tracking secrets, and reading them from the logs.

Wrong guesses are limited per address and per tracking code, separately; the
secret is checked first, so the applicant's right link keeps working however many
wrong guesses its address or its code has seen. No log line carries the secret:
Django's request logger, the development server's access line, the CSRF logger and
gunicorn's loggers all pass the redacting filter.
"""

from __future__ import annotations

import io
import logging
import secrets

import pytest

from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client

from portal.logfilters import REDACTED, RedactTrackingSecrets, redact
from requests_.views import public
from requests_.views._common import LOOKUP_LIMIT
from requests_.views.public import CODE_GUESS_LIMIT, GUESSING_REFUSED
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked(matrix):
    editor = matrix.user("editor_a")
    return rq.register(editor, matrix.agency_a, title="家庭共用网络的申请")


def get(code: str, secret: str, ip: str = "203.0.113.9", suffix: str = ""):
    return Client().get(f"/requests/track/{code}/{secret}/{suffix}", REMOTE_ADDR=ip)


def test_right_link_still_opens_after_40_wrong_guesses_from_its_address(tracked):
    """A family behind one gateway: someone there guessed 40 times (past both the
    per-code and the per-address limit); the applicant's link answers 200."""
    request, secret = tracked
    statuses = [get(request.tracking_code, f"guess{n}").status_code for n in range(40)]
    assert statuses == [404] * CODE_GUESS_LIMIT + [429] * (40 - CODE_GUESS_LIMIT)
    response = get(request.tracking_code, secret)
    assert response.status_code == 200
    assert "家庭共用网络的申请" in response.content.decode()


def test_wrong_guesses_for_one_code_are_refused_from_every_address(tracked):
    """Past CODE_GUESS_LIMIT wrong secrets for a code (one per address), a wrong
    guess from a fresh address is refused with 429 in Chinese; the right link from
    yet another address still opens."""
    request, secret = tracked
    code = request.tracking_code
    for n in range(CODE_GUESS_LIMIT):
        assert get(code, f"guess{n}", ip=f"198.51.100.{n}").status_code == 404
    refused = get(code, "one-more", ip="198.51.100.200")
    assert refused.status_code == 429
    assert str(GUESSING_REFUSED) in refused.content.decode()
    assert "家庭共用网络的申请" not in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert get(code, secret, ip="198.51.100.201").status_code == 200
    # Another code is untouched by this code's lock.
    assert get("ZZZZZZZZZZ", "guess", ip="198.51.100.202").status_code == 404


def test_wrong_guesses_from_one_address_are_refused_across_codes(tracked):
    """Past LOOKUP_LIMIT wrong guesses (each on another code) from one address, its
    next wrong guess is refused; another address guessing is not."""
    for n in range(LOOKUP_LIMIT):
        assert get(f"CODE{n:06d}", "guess").status_code == 404
    assert get("CODE999999", "guess").status_code == 429
    assert get("CODE999999", "guess", ip="192.0.2.77").status_code == 404


def test_refusal_says_nothing_about_whether_a_code_exists(tracked):
    """A code that does not exist is locked after as many guesses as a real one."""
    request, _ = tracked
    real = [
        get(request.tracking_code, f"g{n}", ip=f"10.1.0.{n}").status_code
        for n in range(CODE_GUESS_LIMIT + 1)
    ]
    made_up = [
        get("NOSUCHCODE", f"g{n}", ip=f"10.2.0.{n}").status_code
        for n in range(CODE_GUESS_LIMIT + 1)
    ]
    assert real == made_up == [404] * CODE_GUESS_LIMIT + [429]


def test_applicant_actions_work_after_guessing_too(tracked):
    """The withdrawal through the right link works while the code is locked."""
    request, secret = tracked
    code = request.tracking_code
    for n in range(CODE_GUESS_LIMIT + 2):
        get(code, f"guess{n}")
    response = Client().post(
        f"/requests/track/{code}/{secret}/withdraw/",
        {"reason": "不再需要"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "withdrawn"


# --- Logs ---------------------------------------------------------------------------


class Collect(logging.Handler):
    """Keep every formatted line a logger emits."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def collected():
    """Collect django.request and django.server lines as their handlers would."""
    handler = Collect()
    loggers = [logging.getLogger(n) for n in ("django.request", "django.server")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_404_and_a_500_never_log_the_secret(tracked, collected, caplog, monkeypatch):
    """Django's request log names the path of a 404 and a 500; the secret in it is
    redacted in every captured line, traceback included."""
    request, secret = tracked
    code = request.tracking_code
    caplog.set_level(logging.INFO)
    assert get(code, secret + "x").status_code == 404

    def explode(*args, **kwargs):
        raise RuntimeError(f"boom at /requests/track/{code}/{secret}/")

    monkeypatch.setattr(public.selectors, "deadlines", explode)
    client = Client(raise_request_exception=False)
    assert client.get(f"/requests/track/{code}/{secret}/").status_code == 500

    lines = [*collected.lines, caplog.text]
    assert any("Not Found" in line for line in lines)
    assert any("Internal Server Error" in line for line in lines)
    assert any(f"/requests/track/{code}/{REDACTED}/" in line for line in lines)
    assert any("RuntimeError" in line for line in lines)
    for line in lines:
        assert secret not in line


def test_the_development_server_access_line_never_logs_the_secret():
    """runserver's own request handler writes its access line ("GET <path>" 404)
    through the configured django.server handler: the secret is redacted there."""
    secret = secrets.token_urlsafe(24)
    handler = logging.getLogger("django.server").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        # The request handler of `manage.py runserver`, after it served a request.
        served = WSGIRequestHandler.__new__(WSGIRequestHandler)
        served.request = None
        served.client_address = ("127.0.0.1", 50000)
        served.requestline = f"GET /requests/track/ABCD/{secret}/ HTTP/1.1"
        served.log_request(404, 179)
    finally:
        handler.setStream(previous)
    written = stream.getvalue()
    assert f'"GET /requests/track/ABCD/{REDACTED}/ HTTP/1.1" 404 179' in written
    assert secret not in written


def test_gunicorn_access_records_are_redacted(tracked):
    """gunicorn's access logger (configured by gunicorn, not LOGGING) has the
    filter, and its atoms dict keeps working after redaction."""
    from gunicorn.glogging import SafeAtoms

    _, secret = tracked
    logger = logging.getLogger("gunicorn.access")
    assert any(isinstance(f, RedactTrackingSecrets) for f in logger.filters)
    atoms = SafeAtoms({"r": f"GET /requests/track/ABC/{secret}/ HTTP/1.1", "s": "404"})
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '"%(r)s" %(s)s', (atoms,), None
    )
    for log_filter in logger.filters:
        log_filter.filter(record)
    line = record.getMessage()
    assert secret not in line
    assert line == f'"GET /requests/track/ABC/{REDACTED}/ HTTP/1.1" 404'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/requests/track/ABC/s3cr-et_/", f"/requests/track/ABC/{REDACTED}/"),
        (
            "/requests/track/ABC/s3cret/letter/",
            f"/requests/track/ABC/{REDACTED}/letter/",
        ),
        ("/requests/track/ABC/s3cret?x=1", f"/requests/track/ABC/{REDACTED}?x=1"),
        ("/requests/track/", "/requests/track/"),
        ("/disclosures/ABC/123/", "/disclosures/ABC/123/"),
    ],
)
def test_redact_replaces_exactly_the_secret_segment(text, expected):
    assert redact(text) == expected
