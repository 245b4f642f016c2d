"""Public read of a published disclosure by index number."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer

from django.http import Http404
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from requests_ import projection, selectors
from requests_.models import Disclosure, DisclosureStatus
from requests_.projection import Kind, PublicField


def _code_name(name: str, **kwargs: Any):
    return inline_serializer(
        name=name,
        fields={"code": serializers.CharField(), "name": serializers.CharField()},
        **kwargs,
    )


def _schema_field(field: PublicField) -> serializers.Field:
    """Return the schema of one projection field as the API writes it."""
    help_text = str(field.label)
    if field.kind is Kind.KEYWORDS:
        return serializers.ListField(child=serializers.CharField(), help_text=help_text)
    if field.kind is Kind.LABEL:
        label = "".join(part.title() for part in field.name.split("_"))
        return _code_name(f"PublicDisclosure{label}", allow_null=field.name == "topic")
    if field.kind is Kind.DATE:
        return serializers.DateField(allow_null=True, help_text=help_text)
    if field.kind is Kind.DATETIME:
        return serializers.DateTimeField(help_text=help_text)
    if field.kind is Kind.FLAG:
        return serializers.BooleanField(help_text=help_text)
    return serializers.CharField(help_text=help_text)


# The attachment fields the API shows: the name and size (the text is searchable,
# the metadata travels in the file itself), plus the download address.
API_ATTACHMENT_FIELDS = ("original_name", "size")


def _attachment_schema() -> Any:
    fields: dict[str, serializers.Field] = {}
    for field in projection.ATTACHMENT_FIELDS:
        if field.name not in API_ATTACHMENT_FIELDS:
            continue
        fields[field.key] = (
            serializers.IntegerField(help_text=str(field.label))
            if field.kind is Kind.NUMBER
            else serializers.CharField(help_text=str(field.label))
        )
    fields["url"] = serializers.URLField(help_text="下载地址")
    return inline_serializer(
        name="PublicDisclosureAttachment", many=True, fields=fields
    )


# What ``disclosure_public_data`` returns, for the schema; tests compare the two.
# Both are built from the projection, so a public field is declared once.
PUBLIC_DISCLOSURE = inline_serializer(
    name="PublicDisclosure",
    fields={
        **{f.key: _schema_field(f) for f in projection.DISCLOSURE_FIELDS},
        "attachments": _attachment_schema(),
        "url": serializers.URLField(help_text="公开页面地址"),
    },
)


def _api_value(field: PublicField, value: Any) -> Any:
    if field.kind is Kind.KEYWORDS:
        return projection.keyword_list(value)
    if field.name == "agency":
        return {"code": value.code, "name": value.name}
    if field.name == "topic":
        return {"code": value.code, "name": value.full_name} if value else None
    return value


def disclosure_public_data(disclosure: Disclosure, request: Any) -> dict[str, Any]:
    """Return what anyone may read about a public disclosure: its projection."""
    from django.urls import reverse

    values = projection.project(disclosure)
    data = {f.key: _api_value(f, values[f.key]) for f in projection.DISCLOSURE_FIELDS}
    data["attachments"] = [
        {
            "name": a.name,
            "size": a.size,
            "url": request.build_absolute_uri(
                reverse(
                    "requests_:disclosure_attachment", args=[disclosure.index_no, a.pk]
                )
            ),
        }
        for a in values["attachments"]
    ]
    data["url"] = request.build_absolute_uri(
        reverse("requests_:disclosure_public", args=[disclosure.index_no])
    )
    return data


WITHDRAWN_DISCLOSURE = inline_serializer(
    name="WithdrawnDisclosure",
    fields={
        "index_no": serializers.CharField(),
        "title": serializers.CharField(),
        "withdrawn": serializers.BooleanField(),
        "withdrawn_at": serializers.DateTimeField(),
        "withdrawn_reason": serializers.CharField(help_text="撤回理由"),
    },
)


class DisclosurePublicApi(APIView):
    """Anyone may read a published disclosure; a withdrawn one answers 410."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="主动公开信息详情",
        description="按索引号读取专栏中一条已发布信息的目录数据、正文和附件；"
        "已撤回的信息返回 410 及撤回说明。",
        responses={200: PUBLIC_DISCLOSURE, 410: WITHDRAWN_DISCLOSURE},
    )
    def get(self, request: Request, index_no: str) -> Response:
        disclosure = selectors.public_disclosure(index_no)
        if disclosure is None:
            raise Http404
        if disclosure.status == DisclosureStatus.WITHDRAWN:
            return Response(
                {
                    "index_no": disclosure.index_no,
                    "title": disclosure.title,
                    "withdrawn": True,
                    "withdrawn_at": disclosure.withdrawn_at,
                    "withdrawn_reason": disclosure.withdrawn_reason,
                },
                status=status.HTTP_410_GONE,
            )
        return Response(disclosure_public_data(disclosure, request))
