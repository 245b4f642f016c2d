"""Fixtures of the negative-list tests: a published list of agency A."""

from __future__ import annotations

import pytest

from negative_list.models import Entry
from tests.negative_list import factories


@pytest.fixture
def published(matrix, editor, reviewer):
    """Agency A's list version 1 with two entries."""
    return factories.published_list(
        editor, reviewer, matrix.agency_a, [{}, factories.second_wording()]
    )


@pytest.fixture
def first_amended(published, editor, reviewer) -> Entry:
    """The list's first entry after an approved amendment of its scope (、专题会议
    struck, 正式 added), not yet in a published version."""
    entry = Entry.objects.get(code="310101000-001")
    return factories.amendment_approved(
        editor,
        reviewer,
        entry,
        scope="区政府常务会议的讨论记录中尚未形成正式决定的内容",
    )
