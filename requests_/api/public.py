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

from requests_ import selectors
from requests_.api._common import disclosure_public_data
from requests_.models import DisclosureStatus


def _code_name(name: str, **kwargs: Any):
    return inline_serializer(
        name=name,
        fields={"code": serializers.CharField(), "name": serializers.CharField()},
        **kwargs,
    )


# What ``disclosure_public_data`` returns, for the schema; tests compare the two.
PUBLIC_DISCLOSURE = inline_serializer(
    name="PublicDisclosure",
    fields={
        "index_no": serializers.CharField(help_text="索引号"),
        "title": serializers.CharField(help_text="名称"),
        "agency": _code_name("PublicDisclosureAgency"),
        "topic": _code_name("PublicDisclosureTopic", allow_null=True),
        "doc_no": serializers.CharField(help_text="文号"),
        "written_on": serializers.DateField(allow_null=True, help_text="成文日期"),
        "published_at": serializers.DateTimeField(help_text="发布时间"),
        "keywords": serializers.ListField(
            child=serializers.CharField(), help_text="关键词"
        ),
        "summary": serializers.CharField(help_text="内容概述"),
        "body": serializers.CharField(help_text="正文"),
        "is_valid": serializers.BooleanField(help_text="是否有效"),
        "attachments": inline_serializer(
            name="PublicDisclosureAttachment",
            many=True,
            fields={
                "name": serializers.CharField(help_text="文件名"),
                "size": serializers.IntegerField(help_text="字节数"),
                "url": serializers.URLField(help_text="下载地址"),
            },
        ),
        "url": serializers.URLField(help_text="公开页面地址"),
    },
)
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
