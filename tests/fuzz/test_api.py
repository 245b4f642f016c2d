"""Fuzz every API operation with schemathesis, anonymous and as every actor.

The schema is the portal's own (``/api/schema/``); the requests go through the
real WSGI application to the test database. For every generated request and every
actor of the matrix: no 5xx, the response matches the schema (status code,
content type, body), and nothing sent to anonymous or to agency B's editor carries
one of agency A's markers while it is still unpublished. Signed-in actors send a
valid CSRF token, so writes are really carried out; the same write without the
token is refused first.

``GONGKAI_FUZZ_EXAMPLES`` sets the examples per operation (``make fuzz`` raises it;
the default keeps the module within a couple of minutes per database).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.models import CalendarOverride
from tests.conftest import ACTORS
from tests.fuzz import conftest as world

LONG_RUN = "GONGKAI_FUZZ_EXAMPLES" in os.environ
# The bounded run is derandomized (the same cases every time, so `make test`
# never flakes); `make fuzz` draws new ones on every run.
EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "5"))
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", world.InTransactionApp()
)
# No coverage phase: its boundary cases are many per operation and would multiply
# by six actors; the fuzzing phase draws positive and negative cases alike.
schema.config.phases.update(phases=["examples", "fuzzing"])

# The real values of path parameters in the current world (set by each test).
KNOWN: dict[str, list] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Aim about half of the generated path parameters at rows that exist."""
    if not path_parameters:
        return st.just(path_parameters)
    aimed = {
        name: st.sampled_from(KNOWN[name]) if KNOWN.get(name) else st.just(value)
        for name, value in path_parameters.items()
    }
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(aimed))


def _call(case, generated, credentials: world.Credentials, *, token: bool = True):
    """Send ``case`` with the actor's cookies (and CSRF header).

    The generated cookies are restored first: schemathesis 4.32 merges the cookies
    passed to a call into the case, so the next actor would send them too.
    """
    case.cookies = None if generated is None else dict(generated)
    headers = credentials.headers if token else {}
    return case.call(cookies=credentials.cookies, headers=headers)


def _refused_without_token(case, generated, credentials: world.Credentials) -> None:
    """A signed-in write without the X-CSRFToken header is refused.

    Refused as forged when it reaches the view; a URL no view matches answers 404
    and a body DRF cannot parse 400 first (reading it is how the CSRF check looks
    for a form token), both before anything could change.
    """
    response = _call(case, generated, credentials, token=False)
    error = response.json()["error"]
    assert response.status_code in (400, 403, 404, 415), response.text
    if response.status_code == 403:
        assert "CSRF" in error["message"], error
    else:
        assert error["code"] in ("parse_error", "not_found", "unsupported_media_type")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=not LONG_RUN,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
def test_api(case, fuzz_world, server_errors):
    """Every actor's response is sound, documented and leaks nothing of A's."""
    server_errors.clear()  # hypothesis runs many examples in one test
    KNOWN.clear()
    KNOWN.update(fuzz_world.known)
    public = {} in case.operation.definition.raw.get("security", [])
    generated = None if case.cookies is None else dict(case.cookies)
    if case.method in UNSAFE:
        _refused_without_token(case, generated, fuzz_world.credentials["superuser"])
    for actor in ACTORS:
        credentials = fuzz_world.credentials[actor]
        response = _call(case, generated, credentials)
        assert not server_errors, f"{actor}: {server_errors[0]}"
        if actor in world.OUTSIDERS:
            sent = world.sent_text(response.request)
            assert not world.leaked_markers(response.content, sent), actor
        if actor == "anonymous" and not public:
            # Refused before anything is read; 404 only for a URL no view matches.
            assert response.status_code in (403, 404), response.text
        case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
def test_the_fuzzer_credentials_carry_writes_through_csrf(fuzz_world):
    """With the fuzzer's cookies and header a write succeeds; without the header
    the same write is refused and changes nothing."""
    operation = schema["/api/v1/calendar/overrides/set/"]["POST"]
    case = operation.Case(
        body={"date": "2031-02-03", "is_workday": False, "note": "测试"},
        media_type="application/json",
    )
    credentials = fuzz_world.credentials["coordinator"]
    refused = case.call(cookies=credentials.cookies)
    assert refused.status_code == 403
    assert not CalendarOverride.objects.filter(note="测试").exists()
    accepted = case.call(cookies=credentials.cookies, headers=credentials.headers)
    assert accepted.status_code == 201, accepted.text
    assert CalendarOverride.objects.filter(note="测试").exists()
    case.validate_response(accepted, checks=CHECKS)


@pytest.mark.django_db
def test_the_markers_are_real_and_visible_to_their_own_agency(fuzz_world):
    """Agency A's staff see each planted marker through the API, so the leak
    check of the fuzz test looks for strings the API can really return."""
    client = fuzz_world.matrix.client("editor_a")
    code = fuzz_world.matrix.agency_a.code
    paths = [
        "/api/v1/negative-lists/entries/",
        f"/api/v1/negative-lists/agencies/{code}/interpretation/",
        *(f"/api/v1/staff/disclosures/{pk}/" for pk in fuzz_world.known["id"]),
        *(f"/api/v1/requests/{pk}/" for pk in fuzz_world.known["id"]),
    ]
    seen = set()
    for path in paths:
        response = client.get(path)
        if response.status_code == 200:
            seen.update(world.leaked_markers(response.content))
    assert seen == set(world.MARKERS)
