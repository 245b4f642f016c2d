"""Pieces shared by the API modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from portal.api_fields import SlugRelatedField
from portal.api_views import ObjectActionApi


class TopicField(SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        from portal.models import Topic

        super().__init__(slug_field="code", queryset=Topic.objects.all(), **kwargs)


class ActionApi(ObjectActionApi):
    """POST input → one service → the object as the actor now sees it.

    A subclass names how the object is read (``scoped(request, pk)``, scoped to
    the actor) and shown (``output(obj, user)``), the keyword the service takes it
    by (``target``), and per action its ``Input`` and ``service``.
    """

    class Input(serializers.Serializer):
        pass

    scoped: Callable[[Request, int], Any]
    output: Callable[[Any, Any], dict[str, Any]]

    def read(self, request: Request, key: Any) -> Any:
        return self.scoped(request, key)

    def answer(self, obj: Any, result: Any) -> Response:
        obj.refresh_from_db()
        return Response(self.output(obj, self.request.user), status=self.success_status)
