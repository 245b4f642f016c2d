"""Atom feeds of the column: everything, per agency (with its sub-units), per topic.

Entries carry the catalogue data of the disclosure's public projection only (title,
summary, agency, topic, keywords, dates), as plain text (``portal.feeds``); nothing
of the request it came from. Visibility is the
column's: ``Disclosure.objects.public()``, so a scheduled item appears when its
time comes and a withdrawn one drops out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.feeds import FEED_SIZE, TextFeed
from portal.models import Agency, Topic
from requests_ import projection
from requests_.models import Disclosure

Public = dict[str, Any]  # A disclosure's public projection.


def public_column() -> QuerySet[Disclosure]:
    return Disclosure.objects.public().select_related("agency", "topic__parent")


class ColumnFeed(TextFeed):
    """The latest published disclosures of the whole column."""

    def title(self, obj: Any = None) -> str:
        return _("依申请转主动公开专栏 · 最新信息")

    def subtitle(self, obj: Any = None) -> str:
        return _("依申请公开后转为主动公开的政府信息。")

    def link(self, obj: Any = None) -> str:
        return reverse("search:column")

    def feed_url(self, obj: Any = None) -> str:
        return reverse("requests_:feed_column")

    def disclosures(self, obj: Any) -> QuerySet[Disclosure]:
        return public_column()

    def items(self, obj: Any = None) -> list[Public]:
        # Each entry is the disclosure's projection: nothing else can leak in.
        return [
            projection.project(item, attachments=False)
            for item in self.disclosures(obj)[:FEED_SIZE]
        ]

    def item_title(self, item: Public) -> str:
        return item["title"]

    def item_description(self, item: Public) -> str:
        return item["summary"] or item["title"]

    def item_link(self, item: Public) -> str:
        return reverse("requests_:disclosure_public", args=[item["index_no"]])

    def item_guid(self, item: Public) -> str:
        return f"urn:gongkai:disclosure:{item['index_no']}"

    def item_pubdate(self, item: Public) -> dt.datetime | None:
        return item["published_at"]

    def item_author_name(self, item: Public) -> str:
        return item["agency"].name

    def item_categories(self, item: Public) -> list[str]:
        topic = item["topic"]
        categories = [topic.full_name] if topic else []
        return categories + projection.keyword_list(item["keywords"])


class AgencyFeed(ColumnFeed):
    """The column of one agency and every agency below it."""

    def get_object(self, request: HttpRequest, code: str) -> Agency:
        return get_object_or_404(Agency, code=code, is_active=True)

    def title(self, obj: Agency) -> str:
        return _("%(agency)s · 依申请转主动公开信息") % {"agency": obj.name}

    def link(self, obj: Agency) -> str:
        return f"{reverse('search:column')}?agency={obj.code}"

    def feed_url(self, obj: Agency) -> str:
        return reverse("requests_:feed_agency", args=[obj.code])

    def disclosures(self, obj: Agency) -> QuerySet[Disclosure]:
        return public_column().filter(agency__tree_path__startswith=obj.tree_path)


class TopicFeed(ColumnFeed):
    """The column of one topic class and its sub-classes."""

    def get_object(self, request: HttpRequest, code: str) -> Topic:
        return get_object_or_404(Topic.objects.select_related("parent"), code=code)

    def title(self, obj: Topic) -> str:
        return _("主题“%(topic)s” · 依申请转主动公开信息") % {"topic": obj.full_name}

    def link(self, obj: Topic) -> str:
        return f"{reverse('search:column')}?topic={obj.code}"

    def feed_url(self, obj: Topic) -> str:
        return reverse("requests_:feed_topic", args=[obj.code])

    def disclosures(self, obj: Topic) -> QuerySet[Disclosure]:
        return public_column().filter(Q(topic=obj) | Q(topic__parent=obj))
