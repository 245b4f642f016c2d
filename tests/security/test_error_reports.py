"""Error reports leak nothing of the applicant.

With ``ADMINS`` set, a 500 mails the administrators Django's report of the request:
its path (a status link carries the tracking secret), its POST data (the request
form carries name, ID number, phone, e-mail and address) and its cookies (a session
id is a login). The report filter and reporter hide all of them; the report still
says what failed and where. A view at a tracking path fails on purpose (this
module is the URLconf), reached through the real client with the real logging
configuration and the locmem mail backend.
"""

from __future__ import annotations

import pytest

from django.core import mail
from django.test import Client
from django.urls import path

from portal.urls import (  # noqa: F401 - the handlers are read from this module
    handler400,
    handler403,
    handler404,
    handler500,
)
from portal.urls import urlpatterns as portal_urlpatterns
from requests_.models import IDENTITY_FIELDS
from tests.requests_ import factories as rq

SECRET = "Zq8wXvT3kLmN0pRsYb2cDe4fGh6jKl9A"
CODE = "K7M3Q9W2XA"
APPLICANT = rq.applicant()
SESSION = "s3ss10nK3yThatMustNeverBeMailed00"
CSRF = "csrfT0kenThatMustNeverBeMailed000000000000000000000"


def _fail(request, code, secret):
    raise RuntimeError("deliberate failure for the error report test")


urlpatterns = [
    path("requests/track/<str:code>/<str:secret>/boom/", _fail),
    *portal_urlpatterns,
]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.security.test_error_reports"),
]


@pytest.fixture
def report(settings):
    """Fail a POST at a tracking path; return the one mail sent to ADMINS."""
    settings.ADMINS = [("运维", "ops@example.gov.cn")]
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = SESSION
    client.cookies["csrftoken"] = CSRF
    response = client.post(
        f"/requests/track/{CODE}/{SECRET}/boom/",
        {**APPLICANT, "title": "某文件", "description": "申请某文件"},
    )
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_the_report_still_says_what_failed(report):
    """Redaction keeps the report useful: the exception, the code, the field
    names and the harmless values are all there."""
    assert "deliberate failure for the error report test" in report.body
    assert f"/requests/track/{CODE}/[redacted]/boom/" in report.body
    assert "title = '某文件'" in report.body
    assert CODE in report.subject


def test_the_report_never_carries_the_tracking_secret(report):
    assert SECRET not in report.subject
    assert SECRET not in report.body
    assert all(SECRET not in str(alt[0]) for alt in report.alternatives)


@pytest.mark.parametrize("field", IDENTITY_FIELDS)
def test_the_report_never_carries_a_posted_identity_field(report, field):
    """Every identity field the request form posts is replaced by stars."""
    value = APPLICANT[field]
    assert value
    assert value not in report.body
    assert f"{field} = '********************'" in report.body


def test_the_report_never_carries_the_session_or_csrf_cookie(report):
    assert SESSION not in report.body
    assert CSRF not in report.body
    assert "sessionid = '********************'" in report.body
