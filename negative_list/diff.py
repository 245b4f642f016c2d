"""A readable diff between two published versions of one agency's list."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from negative_list.models import ListVersion, ListVersionItem

COMPARED_FIELDS = (
    ("category_name", _("类别")),
    ("title", _("事项名称")),
    ("scope", _("具体范围")),
    ("basis", _("不予公开的法律政策依据")),
    ("notes", _("说明")),
)


@dataclass(frozen=True)
class Segment:
    """A run of text: ``op`` is "equal", "delete" or "insert"."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class AmendedItem:
    old: ListVersionItem
    new: ListVersionItem
    changes: tuple[FieldChange, ...]


@dataclass
class VersionDiff:
    old: ListVersion
    new: ListVersion
    added: list[ListVersionItem] = field(default_factory=list)
    retired: list[ListVersionItem] = field(default_factory=list)
    amended: list[AmendedItem] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.retired or self.amended)


def mark_changes(old: str, new: str) -> tuple[Segment, ...]:
    """Split ``old`` → ``new`` into equal / deleted / inserted runs, by character
    (Chinese has no spaces to split words on)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    segments: list[Segment] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", old[a1:a2]))
            continue
        if a2 > a1:
            segments.append(Segment("delete", old[a1:a2]))
        if b2 > b1:
            segments.append(Segment("insert", new[b1:b2]))
    return tuple(segments)


def _changes(old: ListVersionItem, new: ListVersionItem) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(
            name,
            str(label),
            getattr(old, name),
            getattr(new, name),
            mark_changes(getattr(old, name), getattr(new, name)),
        )
        for name, label in COMPARED_FIELDS
        if getattr(old, name) != getattr(new, name)
    )


def diff_versions(old: ListVersion, new: ListVersion) -> VersionDiff:
    """Compare two versions of the same list entry by entry."""
    old_items = {i.entry_id: i for i in old.items.select_related("entry")}
    new_items = {i.entry_id: i for i in new.items.select_related("entry")}
    result = VersionDiff(old=old, new=new)
    for entry_id, item in new_items.items():
        before = old_items.get(entry_id)
        if before is None:
            result.added.append(item)
            continue
        changes = _changes(before, item)
        if changes:
            result.amended.append(AmendedItem(before, item, changes))
        else:
            result.unchanged += 1
    result.retired = [i for e, i in old_items.items() if e not in new_items]
    for bucket in (result.added, result.retired):
        bucket.sort(key=lambda i: i.position)
    result.amended.sort(key=lambda a: a.new.position)
    return result
