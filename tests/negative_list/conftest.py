"""Fixtures of the negative-list tests: a published list of agency A."""

from __future__ import annotations

import pytest

from tests.negative_list import factories


@pytest.fixture
def published(matrix, editor, reviewer):
    """Agency A's list version 1 with two entries."""
    return factories.published_list(
        editor, reviewer, matrix.agency_a, [{}, factories.second_wording()]
    )
