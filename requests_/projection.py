"""The public projection of a disclosure: every field any public output carries.

The page, the open API, the search index (and so its highlights), the feeds, the
sitemap and the open dataset read a disclosure through this module, and the
personal-data screen reads exactly the free text declared here. A field added to
``DISCLOSURE_FIELDS`` as text is therefore screened before it can be published;
``tests/security/test_projection.py`` fails if the projection and the screen ever
disagree.

Fields that are not free text are public without screening because nobody types
a person into them: the index number is issued by the system in a checked format
(``INDEX_NO_VALIDATOR``), dates and the validity flag are typed values, and the
agency and topic are chosen from controlled lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from requests_.models import Disclosure, DisclosureAttachment


class Kind(StrEnum):
    """What a public field holds, which decides whether the screen reads it."""

    TEXT = "text"  # Free text typed by staff: screened, maskable.
    KEYWORDS = "keywords"  # Free text, published as a list: screened, maskable.
    CODE = "code"  # Issued by the system in a checked format.
    DATE = "date"
    DATETIME = "datetime"
    FLAG = "flag"
    NUMBER = "number"
    LABEL = "label"  # An agency or topic chosen from a controlled list.


SCREENED_KINDS = frozenset({Kind.TEXT, Kind.KEYWORDS})


@dataclass(frozen=True)
class PublicField:
    """One field of the projection: the model attribute, its label, its kind.

    ``public_name`` is the key the API and the JSON dataset use (``publish_at``
    is published as ``published_at``); ``location`` names an attachment field's
    screening location after ``attachment:<pk>``.
    """

    name: str
    label: Promise
    kind: Kind
    public_name: str = ""
    location: str = ""

    @property
    def key(self) -> str:
        return self.public_name or self.name

    @property
    def screened(self) -> bool:
        return self.kind in SCREENED_KINDS


DISCLOSURE_FIELDS: tuple[PublicField, ...] = (
    PublicField("index_no", _("索引号"), Kind.CODE),
    PublicField("title", _("名称"), Kind.TEXT),
    PublicField("agency", _("发布机构"), Kind.LABEL),
    PublicField("topic", _("主题分类"), Kind.LABEL),
    PublicField("doc_no", _("文号"), Kind.TEXT),
    PublicField("written_on", _("成文日期"), Kind.DATE),
    PublicField("publish_at", _("发布时间"), Kind.DATETIME, "published_at"),
    PublicField("keywords", _("关键词"), Kind.KEYWORDS),
    PublicField("summary", _("内容概述"), Kind.TEXT),
    PublicField("body", _("正文"), Kind.TEXT),
    PublicField("is_valid", _("是否有效"), Kind.FLAG),
)

# An attachment's name is on the page, in the API and in the download; its text is
# indexed (and shown in highlights); its metadata travels inside the public file.
ATTACHMENT_FIELDS: tuple[PublicField, ...] = (
    PublicField("original_name", _("附件文件名"), Kind.TEXT, "name", "name"),
    PublicField("size", _("字节数"), Kind.NUMBER),
    PublicField("extracted_text", _("附件正文"), Kind.TEXT, "text", ""),
    PublicField("metadata_text", _("附件元数据"), Kind.TEXT, "metadata", "metadata"),
)

# The disclosure's own free text, each one a location the screen may mask in place.
TEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in DISCLOSURE_FIELDS if f.screened)
ATTACHMENT_TEXT_FIELDS: tuple[PublicField, ...] = tuple(
    f for f in ATTACHMENT_FIELDS if f.screened
)
ATTACHMENT_PREFIX = "attachment:"


def attachment_location(attachment: DisclosureAttachment, field: PublicField) -> str:
    """Return the screening location of one text of an attachment.

    The extracted text keeps the historical ``attachment:<pk>``; the name and the
    metadata are ``attachment:<pk>:name`` and ``attachment:<pk>:metadata``.
    """
    base = f"{ATTACHMENT_PREFIX}{attachment.pk}"
    return f"{base}:{field.location}" if field.location else base


def screened_texts(disclosure: Disclosure) -> dict[str, str]:
    """Return every free text of the projection, by screening location."""
    texts = {name: getattr(disclosure, name) or "" for name in TEXT_FIELDS}
    for attachment in disclosure.attachments.all():
        for field in ATTACHMENT_TEXT_FIELDS:
            location = attachment_location(attachment, field)
            texts[location] = getattr(attachment, field.name) or ""
    return texts


def location_label(
    location: str, attachments: dict[int, DisclosureAttachment] | None = None
) -> str:
    """Name a screening location for staff: the field's label, or the file's."""
    for field in DISCLOSURE_FIELDS:
        if field.name == location:
            return str(field.label)
    if location.startswith(ATTACHMENT_PREFIX):
        pk, _sep, suffix = location.removeprefix(ATTACHMENT_PREFIX).partition(":")
        attachment = (attachments or {}).get(int(pk)) if pk.isdigit() else None
        name = attachment.original_name if attachment is not None else pk
        for field in ATTACHMENT_TEXT_FIELDS:
            if field.location == suffix:
                return f"{field.label}（{name}）"
    return location


@dataclass(frozen=True)
class PublicAttachment:
    """What the public sees of one attachment."""

    pk: int
    name: str
    size: int
    text: str
    metadata: str


def keyword_list(keywords: str) -> list[str]:
    """Split the keywords the way the page and the API show them."""
    import re

    return [k for k in re.split(r"[,，;；、\s]+", keywords or "") if k]


def _value(disclosure: Disclosure, field: PublicField) -> Any:
    value = getattr(disclosure, field.name)
    if field.kind in SCREENED_KINDS:
        return value or ""
    return value


def project(disclosure: Disclosure, *, attachments: bool = True) -> dict[str, Any]:
    """Return the public fields of ``disclosure`` keyed by ``PublicField.key``.

    ``attachments`` adds the list of ``PublicAttachment`` (a query per item, so
    lists that show catalogue data only leave it out).
    """
    values = {field.key: _value(disclosure, field) for field in DISCLOSURE_FIELDS}
    if attachments:
        values["attachments"] = [
            PublicAttachment(
                pk=a.pk,
                name=a.original_name,
                size=a.size,
                text=a.extracted_text or "",
                metadata=a.metadata_text or "",
            )
            for a in disclosure.attachments.all()
        ]
    return values


# Shown by the page as its own heading and sections, not in its catalogue panel.
PAGE_SECTIONS = frozenset({"title", "summary", "body"})
# The page names the publication date as the national catalogue standard does.
PAGE_LABELS = {"publish_at": _("发布日期")}


@dataclass(frozen=True)
class CatalogueRow:
    """One row of the page's catalogue panel: a projection field and its value."""

    name: str
    label: Promise
    kind: Kind
    value: Any


def _display(field: PublicField, value: Any) -> Any:
    if field.kind == Kind.KEYWORDS:
        return keyword_list(value)
    if field.kind == Kind.LABEL and value is not None:
        # A topic shows its full path (大类 / 小类), an agency its name.
        return getattr(value, "full_name", None) or value.name
    return value


def catalogue(values: dict[str, Any]) -> list[CatalogueRow]:
    """Return the page's catalogue panel from a projection (``project``).

    Every field of the projection but the page's own sections, in the
    projection's order: a field the projection does not carry cannot reach the
    panel, and a field added to it appears there.
    """
    return [
        CatalogueRow(
            name=field.name,
            label=PAGE_LABELS.get(field.name, field.label),
            kind=field.kind,
            value=_display(field, values[field.key]),
        )
        for field in DISCLOSURE_FIELDS
        if field.name not in PAGE_SECTIONS
    ]
