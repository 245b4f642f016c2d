"""Fixtures of the negative-list tests: a published list of agency A."""

from __future__ import annotations

import pytest

from tests.negative_list import factories


@pytest.fixture
def editor(matrix):
    return matrix.user("editor_a")


@pytest.fixture
def reviewer(matrix):
    return matrix.user("reviewer_a")


@pytest.fixture
def published(matrix, editor, reviewer):
    """Agency A's list version 1 with two entries."""
    return factories.published_list(
        editor, reviewer, matrix.agency_a, [{}, factories.second_wording()]
    )
