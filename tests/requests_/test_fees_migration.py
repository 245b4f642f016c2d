"""Migration 0005 keys the requests registered before ``applicant_key`` existed."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from django.apps import apps

from requests_.models import DisclosureRequest
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db

migration = importlib.import_module("requests_.migrations.0005_fees")


def test_existing_rows_get_the_key_registration_would_give(matrix):
    """Blank keys are filled with the key registration sets; set keys stay."""
    editor = matrix.user("editor_a")
    old, _ = fx.register(editor, matrix.agency_a, received_on=dt.date(2025, 3, 3))
    same, _ = fx.register(editor, matrix.agency_a, received_on=dt.date(2025, 3, 4))
    other, _ = fx.register(
        editor,
        matrix.agency_a,
        received_on=dt.date(2025, 3, 4),
        applicant_name="司马光",
        applicant_id_number=fx.OTHER_VALID_ID,
    )
    keys = dict(DisclosureRequest.objects.values_list("pk", "applicant_key"))
    DisclosureRequest.objects.filter(pk__in=[old.pk, other.pk]).update(applicant_key="")

    migration.fill_applicant_keys(apps, None)

    after = dict(DisclosureRequest.objects.values_list("pk", "applicant_key"))
    assert after == keys
    assert after[old.pk] == after[same.pk] != after[other.pk]
