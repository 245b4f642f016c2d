"""The readable diff between two versions: added, retired, amended with marks."""

from __future__ import annotations

import pytest

from negative_list import services
from negative_list.diff import Segment, diff_versions, mark_changes
from tests.negative_list import factories

pytestmark = pytest.mark.django_db


def test_mark_changes_marks_deleted_and_inserted_characters():
    segments = mark_changes("讨论记录和会议纪要", "讨论记录")
    assert segments == (Segment("equal", "讨论记录"), Segment("delete", "和会议纪要"))
    assert mark_changes("尚未形成决定", "尚未形成正式决定") == (
        Segment("equal", "尚未形成"),
        Segment("insert", "正式"),
        Segment("equal", "决定"),
    )


def test_diff_between_versions(matrix, published, first_amended, editor, reviewer):
    """v1 → v2: one added, one amended (wording marked); reversed, one retired."""
    factories.approved(editor, reviewer, matrix.agency_a, **factories.letters_wording())
    v2 = services.list_version_publish(actor=reviewer, agency=matrix.agency_a)

    diff = diff_versions(published, v2)

    assert [i.title for i in diff.added] == ["请示报告与磋商信函"]
    assert diff.retired == []
    assert diff.unchanged == 1
    (amended,) = diff.amended
    (change,) = amended.changes
    assert change.label == "具体范围"
    assert Segment("delete", "、专题会议") in change.segments
    assert Segment("insert", "正式") in change.segments
    backwards = diff_versions(v2, published)
    assert [i.title for i in backwards.retired] == ["请示报告与磋商信函"]


def test_same_version_has_empty_diff(published):
    diff = diff_versions(published, published)
    assert diff.is_empty
    assert diff.unchanged == 2
