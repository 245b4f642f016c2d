"""The column on the public site beyond its own pages: the sitemap, the agency
page section and the open dataset.

Everything here reads ``Disclosure.objects.public()`` and the public projection of a
disclosure (``requests_.projection``); the request a disclosure came from, and its
applicant, are never read.
Request statistics are plain counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.extensions import (
    DatasetField,
    ObjectSection,
    OpenDataset,
    Section,
    register_agency_section,
    register_home_section,
    register_open_dataset,
    register_sitemap,
)
from portal.models import Agency
from portal.open_data import download
from requests_ import projection
from requests_.models import Disclosure, DisclosureRequest

AGENCY_LATEST = 10
# The projection fields a sitemap entry needs: the address and the date.
SITEMAP_FIELDS = ("index_no", "publish_at")


class DisclosureSitemap(Sitemap):
    """Every disclosure public now."""

    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self) -> QuerySet[Disclosure]:
        return Disclosure.objects.public().order_by("pk").only(*SITEMAP_FIELDS)

    def lastmod(self, item: Disclosure) -> Any:
        return item.publish_at


# --- Agency page ---------------------------------------------------------------------


def _agency_section(request: HttpRequest, agency: Agency) -> dict[str, Any]:
    today = timezone.localdate()
    disclosures = Disclosure.objects.public().filter(
        agency__tree_path__startswith=agency.tree_path
    )
    per_year = (
        disclosures.annotate(year=ExtractYear("publish_at"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    requests = DisclosureRequest.objects.filter(
        agency__tree_path__startswith=agency.tree_path
    )
    return {
        "agency": agency,
        "latest": list(disclosures.select_related("agency", "topic")[:AGENCY_LATEST]),
        "total": disclosures.count(),
        "per_year": [(row["year"], row["count"]) for row in per_year],
        "year": today.year,
        "received": requests.filter(received_on__year=today.year).count(),
        "replied": requests.filter(replied_on__year=today.year).count(),
        "search_url": f"{reverse('search:column')}?agency={agency.code}",
    }


# --- Home page ---------------------------------------------------------------------

HOME_AGENCIES = 12
# The home page's counts group every public item: at 100,000 items that is the
# most expensive query of the public site (bench/RESULTS.md, "Load"). They are
# kept for a minute and dropped whenever a disclosure is saved or deleted; the
# minute bounds how late a scheduled publication shows in the counts.
HOME_CACHE_KEY = "requests_:home-overview"
HOME_CACHE_SECONDS = 60


def _home_counts() -> dict[str, Any]:
    counts = cache.get(HOME_CACHE_KEY)
    if counts is None:
        rows = (
            Disclosure.objects.public()
            .values("agency__code", "agency__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "agency__name")
        )
        counts = {
            "agencies": list(rows[:HOME_AGENCIES]),
            "total": Disclosure.objects.public().count(),
        }
        cache.set(HOME_CACHE_KEY, counts, HOME_CACHE_SECONDS)
    return counts


def forget_home_counts(**kwargs: Any) -> None:
    cache.delete(HOME_CACHE_KEY)


def _home_section(request: HttpRequest) -> dict[str, Any]:
    """Counts of public items per publishing agency, and the ways in."""
    return {**_home_counts(), "search_url": reverse("search:column")}


# --- Open data -----------------------------------------------------------------------

COLUMN_DATASET = OpenDataset(
    key="disclosures",
    title=_("依申请转主动公开专栏"),
    description=_(
        "专栏中当前公开的全部信息的目录数据，每条信息一行。"
        "不含申请人及申请办理的任何信息。"
    ),
    url_name="requests_:open_data",
    fields=(
        DatasetField(
            "索引号",
            _("文本"),
            _("信息的唯一编号：机构代码/年份-序号"),
            "310101000/2025-00012",
        ),
        DatasetField(
            "标题", _("文本"), _("信息名称"), "2024年度老旧小区综合改造项目资金安排"
        ),
        DatasetField(
            "发布机构", _("文本"), _("发布信息的机构全称"), "上海市黄浦区人民政府"
        ),
        DatasetField(
            "发布机构代码", _("文本"), _("发布机构的组织机构代码"), "310101000"
        ),
        DatasetField(
            "主题分类",
            _("文本"),
            _("国家政务信息主题分类，可为空"),
            "城乡建设、环境保护 / 城乡建设（含住房）",
        ),
        DatasetField("文号", _("文本"), _("发文字号，可为空"), "黄府〔2025〕12号"),
        DatasetField(
            "成文日期",
            _("日期（YYYY-MM-DD）"),
            _("文件形成的日期，可为空"),
            "2025-03-01",
        ),
        DatasetField(
            "发布日期",
            _("日期时间（ISO 8601）"),
            _("在专栏发布的时间"),
            "2025-03-15T09:30:00+08:00",
        ),
        DatasetField(
            "关键词", _("文本"), _("以顿号或逗号分隔的关键词"), "老旧小区、资金"
        ),
        DatasetField(
            "内容概述",
            _("文本"),
            _("信息内容的简要说明"),
            "公开本区2024年度项目资金安排情况。",
        ),
        DatasetField(
            "链接",
            _("网址"),
            _("信息在本平台的公开页面"),
            "https://…/disclosures/310101000/2025-00012/",
        ),
    ),
    order=10,
)


def _topic_name(topic: Any) -> str:
    return topic.full_name if topic else ""


# Each column of the dataset and the projection field it shows (and how); the
# link is the page's address, not a field.
COLUMN_SOURCES: tuple[tuple[str, str, Any], ...] = (
    ("索引号", "index_no", None),
    ("标题", "title", None),
    ("发布机构", "agency", lambda agency: agency.name),
    ("发布机构代码", "agency", lambda agency: agency.code),
    ("主题分类", "topic", _topic_name),
    ("文号", "doc_no", None),
    ("成文日期", "written_on", None),
    ("发布日期", "published_at", timezone.localtime),
    ("关键词", "keywords", None),
    ("内容概述", "summary", None),
)
LINK_COLUMN = "链接"


def column_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    """Yield the catalogue row of every public disclosure, oldest first."""
    rows = (
        Disclosure.objects.public()
        .select_related("agency", "topic__parent")
        .order_by("publish_at", "pk")
    )
    for item in rows.iterator(chunk_size=500):
        values = projection.project(item, attachments=False)
        row = {
            column: (show(values[key]) if show else values[key])
            for column, key, show in COLUMN_SOURCES
        }
        row[LINK_COLUMN] = request.build_absolute_uri(item.get_absolute_url())
        yield row


def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download the column's catalogue as CSV, XLSX or JSON."""
    return download(COLUMN_DATASET, column_rows(request), fmt)


def register() -> None:
    """Register the sitemap, the agency-page section and the open dataset."""
    register_sitemap("disclosures", DisclosureSitemap)
    register_agency_section(
        ObjectSection(
            "requests_column", "requests_/agency_section.html", _agency_section, 10
        )
    )
    register_open_dataset(COLUMN_DATASET)
    register_home_section(
        Section("requests_overview", "requests_/home_overview.html", _home_section, 15)
    )
    for signal in (post_save, post_delete):
        signal.connect(
            forget_home_counts, sender=Disclosure, dispatch_uid="home-overview"
        )
