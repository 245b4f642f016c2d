"""The OpenAPI description of the column search API.

Kept beside the view rather than on it: ``ColumnSearchApi`` parses its query
with ``search.forms.SearchForm`` (shared with the page), so the parameters are
described here from that form, and drf-spectacular picks the description up
through a view extension (registered when this module is imported, from
``SearchConfig.ready()``).  The document types and their result fields come
from the registered sources, so the description is built when a schema is
generated, after every app has registered its source.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiViewExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer

from rest_framework import serializers

from portal.openapi import ErrorSerializer
from search import registry
from search.engines.base import Sort

_CODE_NAME = {"code": serializers.CharField(), "name": serializers.CharField()}


def _type_description() -> str:
    return (
        "；".join(f"{source.doc_type}：{source.label}" for source in registry.sources())
        + "（第一种为默认）"
    )


def search_parameters() -> list[OpenApiParameter]:
    """Describe the query parameters (the search form's fields)."""
    return [
        OpenApiParameter(
            "q", OpenApiTypes.STR, description="检索词（可为空：按条件浏览）"
        ),
        OpenApiParameter(
            "agency",
            OpenApiTypes.STR,
            many=True,
            description="发布机构代码，可重复或以逗号分隔；含下属单位",
        ),
        OpenApiParameter(
            "topic", OpenApiTypes.STR, many=True, description="主题分类代码，可重复"
        ),
        OpenApiParameter(
            "year", OpenApiTypes.INT, many=True, description="发布年份，可重复"
        ),
        OpenApiParameter("date_from", OpenApiTypes.DATE, description="发布日期起"),
        OpenApiParameter("date_to", OpenApiTypes.DATE, description="发布日期止"),
        OpenApiParameter(
            "type",
            OpenApiTypes.STR,
            enum=registry.doc_types(),
            description=_type_description(),
        ),
        OpenApiParameter(
            "ordering",
            OpenApiTypes.STR,
            enum=[s.value for s in Sort],
            description="relevance 相关度 / newest 最新 / oldest 最早",
        ),
        OpenApiParameter("page", OpenApiTypes.INT, description="页码，从 1 开始"),
        OpenApiParameter(
            "page_size", OpenApiTypes.INT, description="每页条数（1–100）"
        ),
    ]


def _result_fields() -> dict[str, serializers.Field]:
    """Return the common result fields plus each source's own (optional ones)."""
    fields: dict[str, serializers.Field] = {
        "type": serializers.ChoiceField(choices=registry.doc_types()),
        "title": serializers.CharField(help_text="名称"),
        "agency": inline_serializer(name="ColumnSearchAgency", fields=_CODE_NAME),
        "published_on": serializers.DateField(help_text="发布日期"),
        "url": serializers.URLField(help_text="公开页面地址"),
        "highlight": inline_serializer(
            name="ColumnSearchHighlight",
            fields={
                "title": serializers.CharField(help_text="HTML：转义文本加 <mark>"),
                "body": serializers.CharField(help_text="HTML 摘要片段"),
            },
        ),
    }
    for source in registry.sources():
        for name, field in source.api_schema().items():
            fields.setdefault(name, field)
    return fields


def search_page() -> serializers.Serializer:
    """Describe one page of results."""
    return inline_serializer(
        name="ColumnSearchPage",
        fields={
            "count": serializers.IntegerField(help_text="结果总数"),
            "page": serializers.IntegerField(),
            "page_size": serializers.IntegerField(),
            "results": serializers.ListField(
                child=inline_serializer(
                    name="ColumnSearchResult", fields=_result_fields()
                )
            ),
            "facets": serializers.DictField(
                child=serializers.ListField(child=serializers.DictField()),
                help_text="按 agency、topic、year、type 分组的计数",
            ),
            "took_ms": serializers.FloatField(help_text="耗时（毫秒）"),
        },
    )


class ColumnSearchApiSchema(OpenApiViewExtension):
    target_class = "search.api.ColumnSearchApi"

    def view_replacement(self):
        class Fixed(self.target_class):
            @extend_schema(
                summary="检索专栏",
                description="检索依申请转主动公开专栏或已发布的负面清单事项，"
                "参数与专栏检索页面相同；检索服务不可用时返回 503。",
                parameters=search_parameters(),
                responses={200: search_page(), 503: ErrorSerializer},
            )
            def get(self, request, *args, **kwargs):
                return super().get(request, *args, **kwargs)

        return Fixed
