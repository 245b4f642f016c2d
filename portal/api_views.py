"""The API's one shape for a staff action on one object, shared by the apps.

An action view reads its object through the app's read scoper (404 for what the
caller may not read), validates its ``Input`` (400), runs the service with the
object and the validated fields, and answers through its ``Output`` (the schema
class, ``portal.openapi``, documents both). The service guards the rest (403 for
a refused right, 409 for a refused transition), as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


# A subclass names ``scope`` (the read scoper: user -> queryset), ``lookup`` (the
# URL keyword, also the field it matches), ``target`` (the service's keyword for
# the object), ``service``, ``Output`` and, where the action takes fields, an
# ``Input``; it may override ``read`` (how the object is fetched), ``perform``
# (how the service is called) and ``answer`` (how the outcome is shown). (A
# comment, not a docstring: drf-spectacular would print a docstring as every
# subclass's description.)
class ObjectActionApi(APIView):
    scope: Callable[[Any], QuerySet]
    lookup = "pk"
    target: str
    service: Callable[..., Any]
    success_status = status.HTTP_200_OK

    def post(self, request: Request, **url: Any) -> Response:
        obj = self.read(request, url[self.lookup])
        arguments: dict[str, Any] = {}
        if hasattr(self, "Input"):
            data = self.Input(data=request.data)
            data.is_valid(raise_exception=True)
            arguments = dict(data.validated_data)
        result = self.perform(request.user, obj, arguments)
        return self.answer(obj, result)

    def read(self, request: Request, key: Any) -> Model:
        """The object as the caller may read it; 404 otherwise."""
        return get_object_or_404(self.scope(request.user), **{self.lookup: key})

    def perform(self, actor: Any, obj: Model, arguments: dict[str, Any]) -> Any:
        """Run the step's service with the actor, the object and the input."""
        return self.service(actor=actor, **{self.target: obj}, **arguments)

    def answer(self, obj: Model, result: Any) -> Response:
        """The service's result through ``Output``."""
        return Response(self.Output(result).data, status=self.success_status)
