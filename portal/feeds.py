"""Atom feeds that carry text only.

Django's ``Atom1Feed`` writes an item's description as ``<summary type="html">``,
so a feed reader renders whatever markup a user typed into a summary. Every feed of
the portal uses ``TextAtom1Feed`` instead: titles and summaries are reduced to
plain text (tags dropped, characters XML 1.0 cannot carry removed) and the summary
is written as ``type="text"``, which the XML writer escapes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags

# How many of the newest items every feed of the portal carries.
FEED_SIZE = 50

# Characters XML 1.0 cannot carry; the XML writer would refuse them with a 500.
_XML_UNSAFE_RE = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]")


def plain_text(value: Any) -> str:
    """Return ``value`` as plain text: no tags, nothing XML 1.0 cannot carry."""
    if value is None:
        return ""
    return _XML_UNSAFE_RE.sub("", strip_tags(str(value)))


class TextAtom1Feed(Atom1Feed):
    """An Atom feed whose titles and summaries are plain text (``type="text"``)."""

    def __init__(self, title: Any, link: Any, description: Any, **kwargs: Any):
        if kwargs.get("subtitle") is not None:
            kwargs["subtitle"] = plain_text(kwargs["subtitle"])
        super().__init__(plain_text(title), link, plain_text(description), **kwargs)

    def add_item(self, title: Any, link: Any, description: Any, **kwargs: Any):
        categories = kwargs.get("categories")
        if categories:
            kwargs["categories"] = [plain_text(c) for c in categories]
        author_name = kwargs.get("author_name")
        if author_name is not None:
            kwargs["author_name"] = plain_text(author_name)
        text = None if description is None else plain_text(description)
        super().add_item(plain_text(title), link, text, **kwargs)

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


class TextFeed(Feed):
    """A syndication view whose feed is a ``TextAtom1Feed``.

    Every item's guid is a URN (``urn:gongkai:…``), not an address, and an item
    is what was published at its ``item_pubdate``: a later change is a new item
    (a new list version) or takes the item out (a withdrawal), so its updated
    date is its publication date.
    """

    feed_type = TextAtom1Feed
    item_guid_is_permalink = False

    def item_updateddate(self, item: Any) -> dt.datetime | None:
        return self.item_pubdate(item)
