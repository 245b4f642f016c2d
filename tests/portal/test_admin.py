"""The admin's read-only views (``portal.admin.ReadOnlyAdmin``, used by every app):
a superuser reads the rows that only services write, and can neither add,
change nor delete them."""

from __future__ import annotations

import pytest

from negative_list.models import Exemption
from portal.models import AuditEvent
from requests_.models import DisclosureRequest
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq

pytestmark = pytest.mark.django_db


def test_read_only_rows_of_three_apps(matrix):
    """Audit events, requests and exemptions: list and change page open (200),
    add refused (403), delete refused (403) and the row still there."""
    request, _secret = rq.register(matrix.user("editor_a"), matrix.agency_a)
    client = matrix.client("superuser")
    for model, pk in (
        (AuditEvent, AuditEvent.objects.order_by("pk").first().pk),
        (DisclosureRequest, request.pk),
        (Exemption, nl.exemption("third_party").pk),
    ):
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        before = model.objects.count()
        assert client.get(base).status_code == 200, base
        assert client.get(f"{base}{pk}/change/").status_code == 200, base
        assert client.get(f"{base}add/").status_code == 403, base
        assert client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403
        assert model.objects.count() == before
        assert model.objects.filter(pk=pk).exists()
