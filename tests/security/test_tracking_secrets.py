"""Attack family: forged or guessed tracking secrets.

An applicant follows their request with a tracking code and a secret link instead
of an account. An attacker who knows (or guesses) a code tries a wrong secret,
another request's secret, an empty one, and keeps guessing; every attempt is a
plain 404 that reveals nothing, applicant actions (correction, withdrawal, letter)
are refused the same way, guessing is cut off per address (429), the secret is stored
only as a hash and compared in constant time.
"""

from __future__ import annotations

import inspect

import pytest

from django.test import Client

from portal.errors import PermissionDenied
from requests_ import services
from requests_.models import DisclosureRequest
from requests_.services import intake
from requests_.views._common import LOOKUP_LIMIT
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(matrix):
    editor = matrix.user("editor_a")
    first = rq.register(editor, matrix.agency_a, title="第一件申请")
    second = rq.register(editor, matrix.agency_a, title="第二件申请")
    return first, second


def status(client: Client, code: str, secret: str, suffix: str = ""):
    return client.get(f"/requests/track/{code}/{secret}/{suffix}")


def test_right_secret_opens_the_status_page(two):
    """Control: the real link shows the request."""
    (request, secret), _ = two
    response = status(Client(), request.tracking_code, secret)
    assert response.status_code == 200
    assert "第一件申请" in response.content.decode()


@pytest.mark.parametrize(
    "forge",
    [
        lambda secret, other: secret[:-1] + ("A" if secret[-1] != "A" else "B"),
        lambda secret, other: other,  # another request's real secret
        lambda secret, other: secret.upper(),
        lambda secret, other: secret + "x",
        lambda secret, other: "0",
    ],
)
def test_forged_secrets_get_a_bare_404(two, forge):
    """Wrong, borrowed or altered secrets: 404 with nothing of the request."""
    (request, secret), (_, other_secret) = two
    forged = forge(secret, other_secret)
    response = status(Client(), request.tracking_code, forged)
    assert response.status_code == 404
    assert "第一件申请" not in response.content.decode()


def test_applicant_actions_with_a_forged_secret_change_nothing(two, matrix):
    """Correction, withdrawal and the letter all refuse another request's secret."""
    (request, _), (_, other_secret) = two
    before = DisclosureRequest.objects.values().get(pk=request.pk)
    client = Client()
    code = request.tracking_code
    for suffix, data in (
        ("correction/", {"text": "伪造补正"}),
        ("withdraw/", {"reason": "伪造撤回"}),
    ):
        response = client.post(f"/requests/track/{code}/{other_secret}/{suffix}", data)
        assert response.status_code == 404
    assert status(client, code, other_secret, "letter/").status_code == 404
    assert DisclosureRequest.objects.values().get(pk=request.pk) == before


def test_service_refuses_a_forged_secret_too(two, matrix):
    """The withdrawal service itself checks the secret (not only the view)."""
    (request, _), (_, other_secret) = two
    with pytest.raises(PermissionDenied):
        services.request_withdraw(
            actor=matrix.user("anonymous"),
            request=request,
            applicant_secret=other_secret,
        )
    request.refresh_from_db()
    assert request.status != "withdrawn"


def test_guessing_is_cut_off_per_address(two):
    """After LOOKUP_LIMIT failures (on as many codes) an address's wrong guesses get
    429, yet its right secret still opens the page (tests/security/test_tracking.py
    covers the per-code limit); another address is unaffected."""
    (request, secret), _ = two
    client = Client()
    for guess in range(LOOKUP_LIMIT):
        status(client, f"NOCODE{guess:04d}", f"guess{guess}", "")
    assert status(client, "NOCODE9999", "guess").status_code == 429
    assert status(client, request.tracking_code, secret).status_code == 200
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert status(other, "NOCODE9999", "guess").status_code == 404


def test_secret_is_stored_hashed_and_compared_in_constant_time(two):
    """Only a SHA-256 of the secret is stored; the comparison is hmac.compare_digest."""
    (request, secret), _ = two
    request.refresh_from_db()
    assert secret not in request.secret_hash
    assert request.secret_hash == intake.hash_secret(secret)
    assert "hmac.compare_digest" in inspect.getsource(intake.secret_matches)
    assert not intake.secret_matches(request, "")
    assert not intake.secret_matches(request, None)
