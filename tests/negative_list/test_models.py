"""The seeded legal bases and the immutability of published snapshots."""

from __future__ import annotations

import pytest

from negative_list.models import (
    Exemption,
    ListVersion,
    ListVersionItem,
    Provision,
    SnapshotImmutable,
)
from negative_list.selectors import published_entries

pytestmark = pytest.mark.django_db

EXEMPTION_CODES = [
    "state_secret",
    "law_prohibited",
    "security_stability",
    "third_party",
    "internal_affairs",
    "process_info",
    "enforcement_file",
    "administrative_query",
]


def test_exemptions_are_seeded_with_articles_and_binding_force():
    """The eight categories of DOMAIN.md §2 exist with their article and force."""
    assert list(Exemption.objects.values_list("code", flat=True)) == EXEMPTION_CODES
    assert Exemption.objects.get(code="third_party").article == "第十五条"
    assert Exemption.objects.get(code="state_secret").binding is True
    assert Exemption.objects.get(code="process_info").binding is False


def test_catalogue_holds_2019_articles_in_force_and_2007_articles_repealed():
    """第十四–十六条 of 2019 are in force; the 2007 articles are marked repealed."""
    current = Provision.objects.get(
        law="《中华人民共和国政府信息公开条例》", article="第十五条"
    )
    assert not current.is_repealed()
    old = Provision.objects.filter(law__contains="2007")
    assert old.exists()
    assert all(p.is_repealed() for p in old)
    assert Provision.objects.get(
        law="《中华人民共和国保守国家秘密法实施条例》", article="第五条"
    )
    assert Provision.objects.get(law="《中华人民共和国统计法》", article="第二十五条")


def test_published_version_cannot_be_changed_or_deleted(published):
    """A list version and its rows are immutable snapshots."""
    published.note = "changed"
    with pytest.raises(SnapshotImmutable):
        published.save()
    with pytest.raises(SnapshotImmutable):
        published.delete()
    with pytest.raises(SnapshotImmutable):
        ListVersionItem.objects.filter(list_version=published).update(title="x")
    with pytest.raises(SnapshotImmutable):
        ListVersion.objects.all().delete()


def test_entry_exposes_category_code_and_title_of_published_wording(matrix, published):
    """Other apps cite an entry by its category code and title."""
    entries = list(published_entries(matrix.agency_a))
    assert [e.category_code for e in entries] == ["process_info", "third_party"]
    assert entries[0].title == "区政府常务会议讨论记录"
    assert entries[0].code == "310101000-001"
