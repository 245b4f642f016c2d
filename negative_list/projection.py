"""The public projection of a published list version: its entries and its
interpretation.

The version pages, the downloads, the open dataset, the search documents and the
feed read a version through this module, so the set of public fields of a list is
declared once. Every value is copied at publication (``ListVersionItem``) or is
the version's own text; nothing of a draft or of the review records is read.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from negative_list.models import ListVersion, ListVersionItem

# (attribute of ListVersionItem, label); ``code`` is the entry's stable number.
ITEM_FIELDS: tuple[tuple[str, Any], ...] = (
    ("position", _("序号")),
    ("code", _("事项编号")),
    ("category_name", _("类别")),
    ("title", _("事项名称")),
    ("scope", _("具体范围")),
    ("basis", _("不予公开的法律政策依据")),
    ("responsible_unit", _("责任处室")),
    ("notes", _("说明")),
)
# (attribute of ListVersion, label): the version's dates, notes and interpretation.
VERSION_FIELDS: tuple[tuple[str, Any], ...] = (
    ("number", _("版本号")),
    ("published_at", _("发布时间")),
    ("summary_text", _("变更摘要")),
    ("note", _("发布说明")),
    ("review_basis", _("审核依据")),
    ("adjustment_standards", _("调整标准")),
    ("operating_procedure", _("操作办法")),
)
# The text of an entry that the search indexes as its body.
ITEM_BODY_FIELDS = ("scope", "basis", "notes")


def item_values(item: ListVersionItem) -> dict[str, Any]:
    """Return the public fields of one entry of a version."""
    values = {}
    for name, _label in ITEM_FIELDS:
        values[name] = item.entry.code if name == "code" else getattr(item, name)
    return values


def version_values(version: ListVersion) -> dict[str, Any]:
    """Return the public fields of a version itself (not its entries)."""
    return {name: getattr(version, name) for name, _label in VERSION_FIELDS}
