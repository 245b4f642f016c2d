"""Atom feed of newly published negative-list versions (all agencies, or one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from negative_list.models import ListVersion
from negative_list.projection import version_values
from portal.feeds import FEED_SIZE, TextFeed
from portal.models import Agency


def public_versions() -> QuerySet[ListVersion]:
    """Return list versions shown on the public site, newest first."""
    return (
        ListVersion.objects.filter(
            agency__is_active=True, published_at__lte=timezone.now()
        )
        .select_related("agency")
        .order_by("-published_at", "-pk")
    )


class ListVersionFeed(TextFeed):
    """Every new published version of every agency's negative list."""

    def title(self, obj: Any = None) -> str:
        return _("不予公开信息负面清单 · 新发布版本")

    def subtitle(self, obj: Any = None) -> str:
        return _("各机构发布的负面清单新版本及其变更摘要。")

    def link(self, obj: Any = None) -> str:
        return reverse("negative_list:index")

    def feed_url(self, obj: Any = None) -> str:
        return reverse("negative_list:feed")

    def versions(self, obj: Any) -> QuerySet[ListVersion]:
        return public_versions()

    def items(self, obj: Any = None) -> list[ListVersion]:
        return list(self.versions(obj)[:FEED_SIZE])

    def item_title(self, item: ListVersion) -> str:
        return _("%(agency)s负面清单 第%(number)s版") % {
            "agency": item.agency.name,
            "number": item.number,
        }

    def item_description(self, item: ListVersion) -> str:
        values = version_values(item)
        parts = [values["summary_text"], values["note"]]
        return "\n".join(p for p in parts if p) or self.item_title(item)

    def item_link(self, item: ListVersion) -> str:
        return reverse("negative_list:version", args=[item.agency.code, item.number])

    def item_guid(self, item: ListVersion) -> str:
        return f"urn:gongkai:negative-list:{item.agency.code}:{item.number}"

    def item_pubdate(self, item: ListVersion) -> dt.datetime:
        return item.published_at

    def item_author_name(self, item: ListVersion) -> str:
        return item.agency.name


class AgencyListVersionFeed(ListVersionFeed):
    """New versions of one agency's list."""

    def get_object(self, request: HttpRequest, code: str) -> Agency:
        return get_object_or_404(Agency, code=code, is_active=True)

    def title(self, obj: Agency) -> str:
        return _("%(agency)s不予公开信息负面清单 · 新发布版本") % {"agency": obj.name}

    def link(self, obj: Agency) -> str:
        return reverse("negative_list:versions", args=[obj.code])

    def feed_url(self, obj: Agency) -> str:
        return reverse("negative_list:feed_agency", args=[obj.code])

    def versions(self, obj: Agency) -> QuerySet[ListVersion]:
        return public_versions().filter(agency=obj)
