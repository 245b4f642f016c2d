"""Negative lists on the public site beyond their own pages: the sitemap, the
agency-page section and the open dataset of every current entry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list import selectors
from negative_list.feeds import public_versions
from negative_list.models import ListVersion
from negative_list.projection import item_values
from portal.extensions import (
    DatasetField,
    ObjectSection,
    OpenDataset,
    register_agency_section,
    register_open_dataset,
    register_sitemap,
)
from portal.models import Agency
from portal.open_data import download


class ListVersionSitemap(Sitemap):
    """Every published version page of every agency's list."""

    changefreq = "yearly"
    priority = 0.6

    def items(self) -> list[ListVersion]:
        return list(public_versions().order_by("agency__code", "number"))

    def location(self, item: ListVersion) -> str:
        return reverse("negative_list:version", args=[item.agency.code, item.number])

    def lastmod(self, item: ListVersion) -> Any:
        return item.published_at


class CurrentListSitemap(Sitemap):
    """Each agency's current list page."""

    changefreq = "monthly"
    priority = 0.7

    def items(self) -> list[Any]:
        return selectors.published_lists()

    def location(self, item: Any) -> str:
        return reverse("negative_list:agency", args=[item.agency.code])

    def lastmod(self, item: Any) -> Any:
        return item.version.published_at


def _agency_section(request: HttpRequest, agency: Agency) -> dict[str, Any]:
    version = selectors.current_list_version(agency)
    if version is not None and not (
        agency.is_active and version.published_at <= timezone.now()
    ):
        version = None
    return {
        "agency": agency,
        "version": version,
        "entry_count": version.items.count() if version else 0,
    }


LIST_DATASET = OpenDataset(
    key="negative-lists",
    title=_("不予公开信息负面清单"),
    description=_(
        "各机构现行负面清单的全部事项，每个事项一行，附所属机构和清单版本。"
        "历史版本可在各机构的清单页面查看和下载。"
    ),
    url_name="negative_list:open_data",
    fields=(
        DatasetField(
            "机构", _("文本"), _("发布清单的机构全称"), "上海市黄浦区人民政府"
        ),
        DatasetField("机构代码", _("文本"), _("发布机构的组织机构代码"), "310101000"),
        DatasetField("清单版本", _("整数"), _("现行清单的版本号"), "3"),
        DatasetField(
            "版本发布日期",
            _("日期时间（ISO 8601）"),
            _("该版本的发布时间"),
            "2025-06-30T10:00:00+08:00",
        ),
        DatasetField("序号", _("整数"), _("事项在清单中的序号"), "1"),
        DatasetField(
            "事项编号", _("文本"), _("事项的唯一编号，跨版本不变"), "310101000-001"
        ),
        DatasetField("类别", _("文本"), _("不予公开的类别"), "过程性信息"),
        DatasetField(
            "事项名称", _("文本"), _("不予公开事项的名称"), "区政府常务会议讨论记录"
        ),
        DatasetField(
            "具体范围", _("文本"), _("不予公开的具体范围"), "尚未形成决定的讨论内容"
        ),
        DatasetField(
            "不予公开的法律政策依据",
            _("文本"),
            _("所依据的法律、法规条款"),
            "《中华人民共和国政府信息公开条例》第十六条第二款",
        ),
        DatasetField(
            "责任处室", _("文本"), _("负责该事项的处室，可为空"), "区政府办公室"
        ),
        DatasetField(
            "说明", _("文本"), _("补充说明，可为空"), "会议形成的决定按规定主动公开。"
        ),
        DatasetField(
            "链接",
            _("网址"),
            _("事项在本平台清单页面的位置"),
            "https://…/negative-lists/310101000/#entry-1",
        ),
    ),
    order=20,
)


# Each entry column of the dataset and the projection field it shows.
ITEM_COLUMNS = (
    ("序号", "position"),
    ("事项编号", "code"),
    ("类别", "category_name"),
    ("事项名称", "title"),
    ("具体范围", "scope"),
    ("不予公开的法律政策依据", "basis"),
    ("责任处室", "responsible_unit"),
    ("说明", "notes"),
)


def list_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    """Yield every entry of every current published list, in agency-tree order."""
    for row in selectors.published_lists():
        version = row.version
        if version.published_at > timezone.now():
            continue
        page = reverse("negative_list:agency", args=[row.agency.code])
        for item in selectors.version_items(version).select_related("entry"):
            values = item_values(item)
            yield {
                "机构": row.agency.name,
                "机构代码": row.agency.code,
                "清单版本": version.number,
                "版本发布日期": timezone.localtime(version.published_at),
                **{column: values[name] for column, name in ITEM_COLUMNS},
                "链接": request.build_absolute_uri(f"{page}#entry-{item.entry_id}"),
            }


def open_data(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download every current published list as CSV, XLSX or JSON."""
    return download(LIST_DATASET, list_rows(request), fmt)


def register() -> None:
    """Register the sitemaps, the agency-page section and the open dataset."""
    register_sitemap("negative-list-versions", ListVersionSitemap)
    register_sitemap("negative-lists", CurrentListSitemap)
    register_agency_section(
        ObjectSection(
            "negative_list", "negative_list/agency_section.html", _agency_section, 20
        )
    )
    register_open_dataset(LIST_DATASET)
