"""The admin shows negative-list rows read-only: changes go through the services."""

from __future__ import annotations

import pytest

from negative_list.models import Entry

pytestmark = pytest.mark.django_db


def test_superuser_reads_but_cannot_change(matrix, published):
    client = matrix.client("superuser")
    url = f"/admin/negative_list/entry/{Entry.objects.first().pk}/"
    assert client.get("/admin/negative_list/entry/").status_code == 200
    assert client.get(f"{url}change/").status_code == 200
    assert client.get("/admin/negative_list/entry/add/").status_code == 403
    response = client.post(f"{url}delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Entry.objects.count() == 2
    assert client.get("/admin/negative_list/listversion/").status_code == 200
    assert client.get("/admin/negative_list/provision/").status_code == 200
