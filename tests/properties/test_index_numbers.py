"""Properties of the index-number generator (索引号).

For any interleaving of issues across agencies and years, with numbers already
taken by imports in between, every issued number is unique, has the format
``<agency code>/<year>-<5 digits>``, never reuses a taken number, and serials per
agency and year only go up. (Uniqueness under real concurrency is proven on
PostgreSQL in ``tests/concurrency``.)
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.db import transaction

from requests_.models import Disclosure
from requests_.services.disclosures import next_index_no
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

FORMAT = re.compile(r"^(?P<code>[0-9]{9})/(?P<year>[0-9]{4})-(?P<serial>[0-9]{5})$")

steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # which agency
        st.sampled_from([2024, 2025, 2026]),  # which year
        st.one_of(st.none(), st.integers(min_value=1, max_value=30)),  # taken serial
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def agencies(db):
    return [AgencyFactory(code=f"31010{n}000") for n in range(3)]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps)
def test_issued_numbers_are_unique_formatted_and_increasing(agencies, plan):
    """Any plan of issues and imported numbers yields unique, well-formed numbers."""
    with transaction.atomic():
        issued: list[str] = []
        last: dict[tuple[str, int], int] = {}
        for which, year, taken in plan:
            agency = agencies[which]
            if taken is not None:
                number = f"{agency.code}/{year}-{taken:05d}"
                Disclosure.objects.get_or_create(
                    index_no=number, defaults={"agency": agency, "title": "导入"}
                )
            number = next_index_no(agency, year)
            match = FORMAT.match(number)
            assert match, number
            assert match["code"] == agency.code
            assert int(match["year"]) == year
            serial = int(match["serial"])
            assert serial > last.get((agency.code, year), 0)
            last[agency.code, year] = serial
            assert not Disclosure.objects.filter(index_no=number).exists()
            Disclosure.objects.create(index_no=number, agency=agency, title="新")
            issued.append(number)
        assert len(set(issued)) == len(issued)
        transaction.set_rollback(True)
