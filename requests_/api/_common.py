"""Pieces shared by the API modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_fields import SlugRelatedField


class TopicField(SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        from portal.models import Topic

        super().__init__(slug_field="code", queryset=Topic.objects.all(), **kwargs)


class ActionApi(APIView):
    """POST input → one service → the object as the actor now sees it.

    A subclass names how the object is read (``scoped(request, pk)``, scoped to
    the actor) and shown (``output(obj, user)``), the keyword the service takes it
    by (``target``), and per action its ``Input`` and ``service``.
    """

    class Input(serializers.Serializer):
        pass

    target: str
    scoped: Callable[[Request, int], Any]
    output: Callable[[Any, Any], dict[str, Any]]
    # The step's service, called with the actor, the object and the input.
    service: Callable[..., Any]

    def perform(self, actor: Any, obj: Any, data: dict) -> Any:
        return self.service(actor=actor, **{self.target: obj}, **data)

    def post(self, request: Request, pk: int) -> Response:
        obj = self.scoped(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        self.perform(request.user, obj, dict(data.validated_data))
        obj.refresh_from_db()
        return Response(self.output(obj, request.user))
