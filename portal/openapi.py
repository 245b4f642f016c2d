"""The schema class of the API (``DEFAULT_SCHEMA_CLASS``).

The API views follow one pattern (``APIView`` with nested ``Input`` and ``Output``
serializers, one class per action), so the schema class reads those instead of
asking every view to repeat them: ``Input`` is the request body of a write,
``Output`` the response. A view without an ``Output`` is documented as returning a
JSON object unless it says more with ``extend_schema``. A view answering anything
but 200 on success says so in ``success_status`` (201 for a creation, 204 for no
content), and uses that attribute in its response. Every operation documents the
one error shape of ``portal.api_errors``, writes also the 409 of a refused
transition and the 415 of a body in an unsupported media type.

The schema view and the documentation page are in ``portal.api_docs``.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, inline_serializer

from rest_framework import serializers

WRITE_METHODS = ("POST", "PUT", "PATCH")
HTTP_METHODS = ("get", "post", "put", "patch", "delete")

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorBody",
            fields={
                "code": serializers.CharField(
                    help_text="稳定的错误代码，例如 invalid、not_found、throttled"
                ),
                "message": serializers.CharField(help_text="可读的错误说明"),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    required=False,
                    help_text="按字段列出的错误（仅输入有误时）",
                ),
            },
        )
    },
)

ERROR_RESPONSES = {
    "400": "请求参数有误",
    "403": "未登录或无权操作",
    "404": "对象不存在",
    "429": "请求过于频繁，请稍后再试",
}
# Only writes change state, so only they can find it changed (InvalidTransition).
WRITE_ERROR_RESPONSES = {
    "409": "当前状态下不能执行此操作，或记录已被他人修改",
    "413": "请求体过大：JSON 或表单请求体超过 DATA_UPLOAD_MAX_MEMORY_SIZE"
    "（默认 2.5 MB），错误代码 too_large",
    "415": "请求体的媒体类型不受支持",
}


# Descriptions of the path parameters the URLs use, shown wherever they occur.
PATH_PARAMETERS = {
    "code": (OpenApiTypes.STR, "机构代码"),
    "index_no": (OpenApiTypes.STR, "索引号，例如 310101000/2025-00012"),
    "number": (OpenApiTypes.INT, "清单版本号"),
    "id": (OpenApiTypes.INT, "对象编号"),
    "hit_pk": (OpenApiTypes.INT, "筛查结果编号"),
    "appeal_pk": (OpenApiTypes.INT, "复议或诉讼记录编号"),
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class PortalAutoSchema(AutoSchema):
    """Read nested ``Input`` / ``Output`` serializers; document the error shape."""

    def _get_serializer(self) -> Any:
        view = self.view
        if self.method in WRITE_METHODS and hasattr(view, "Input"):
            return view.Input
        if hasattr(view, "Output"):
            return view.Output
        if hasattr(view, "serializer_class") or hasattr(view, "get_serializer"):
            return super()._get_serializer()
        return None

    def get_request_serializer(self) -> Any:
        if self.method not in WRITE_METHODS:
            return None
        return getattr(self.view, "Input", None)

    def get_response_serializers(self) -> Any:
        if getattr(self.view, "success_status", None) == 204:
            return {204: None}
        output = getattr(self.view, "Output", None)
        return output if output is not None else OpenApiTypes.OBJECT

    def _is_create_operation(self) -> bool:
        if getattr(self.view, "success_status", None) == 201:
            return self.method == "POST"
        return super()._is_create_operation()

    def get_override_parameters(self) -> list[Any]:
        described = [
            OpenApiParameter(name, kind, OpenApiParameter.PATH, description=text)
            for name, (kind, text) in PATH_PARAMETERS.items()
            if f"{{{name}}}" in self.path
        ]
        return [*described, *super().get_override_parameters()]

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, response in responses.items():
            if code.startswith("2") and not response.get("description"):
                response["description"] = "成功"
        public = {} in self.get_auth()
        errors = dict(ERROR_RESPONSES)
        if self.method in WRITE_METHODS:
            errors.update(WRITE_ERROR_RESPONSES)
        for code, description in errors.items():
            if code == "403" and public:
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
                responses[code]["description"] = description
        return responses

    def get_serializer_name(self, serializer: Any, direction: str) -> str:
        """Prefix nested serializers with app and view (``PortalAgencyUpdateInput``)."""
        name = super().get_serializer_name(serializer, direction)
        cls = serializer.__class__
        if "." not in cls.__qualname__ or "<locals>" in cls.__qualname__:
            return name
        app = cls.__module__.split(".")[0].strip("_").replace("_", " ").title()
        parts = [p.strip("_").removesuffix("Api") for p in cls.__qualname__.split(".")]
        return app.replace(" ", "") + "".join(p[:1].upper() + p[1:] for p in parts)

    def get_operation_id(self) -> str:
        """Name the operation after its view class: unique and stable."""
        view = self.view.__class__
        app = view.__module__.split(".")[0].strip("_")
        name = _snake(view.__name__.removesuffix("Api"))
        methods = [m for m in HTTP_METHODS if hasattr(view, m)]
        suffix = f"_{self.method.lower()}" if len(methods) > 1 else ""
        return f"{app}_{name}{suffix}"
