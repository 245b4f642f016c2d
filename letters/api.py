"""Staff API for letters: list and read, one class per action (draft, update,
issue, void, cancel). Errors take the one JSON shape of portal.api_errors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from letters import permissions, services
from letters.models import Letter, LetterKind
from letters.serializers import LetterOutput
from letters.transitions import LETTER_TRANSITIONS
from portal.api_views import ObjectActionApi
from portal.validation import api_text
from portal.workflow import allowed_actions
from requests_.permissions import readable_requests_qs


def _output(letter: Letter, user: Any) -> dict[str, Any]:
    letter.available_actions = allowed_actions(LETTER_TRANSITIONS, letter, user)
    return LetterOutput(letter).data


def _readable(user: Any) -> QuerySet[Letter]:
    return permissions.readable_letters_qs(user).select_related("agency", "request")


def _scoped(request: Request, pk: int) -> Letter:
    return get_object_or_404(_readable(request.user), pk=pk)


class LetterListApi(APIView):
    @extend_schema(responses=LetterOutput(many=True))
    def get(self, request: Request) -> Response:
        """List the letters the user may read (``?request=<id>`` for one request)."""
        letters = _readable(request.user)
        wanted = request.query_params.get("request")
        if wanted:
            letters = letters.filter(request_id=int(wanted) if wanted.isdigit() else 0)
        return Response(
            [_output(letter, request.user) for letter in letters.order_by("id")[:200]]
        )


class LetterDetailApi(APIView):
    @extend_schema(responses=LetterOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_output(_scoped(request, pk), request.user))


class LetterDraftApi(APIView):
    class Input(serializers.Serializer):
        request = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=LetterKind.choices)
        addressee = api_text("letter", "addressee", required=False)

    @extend_schema(request=Input, responses={201: LetterOutput})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        item = get_object_or_404(
            readable_requests_qs(request.user), pk=data.validated_data["request"]
        )
        letter = services.letter_draft(
            actor=request.user,
            request=item,
            kind=data.validated_data["kind"],
            addressee=data.validated_data.get("addressee", ""),
        )
        return Response(_output(letter, request.user), status=status.HTTP_201_CREATED)


# A service run on a readable letter, answered with the letter and what the caller
# may do next. A subclass names the ``service`` and, where it takes fields, its Input.
class _LetterActionApi(ObjectActionApi):
    scope = staticmethod(_readable)
    target = "letter"
    Output = LetterOutput

    def answer(self, obj: Letter, result: Letter) -> Response:
        return Response(_output(result, self.request.user))


class LetterUpdateApi(_LetterActionApi):
    service = staticmethod(services.letter_update)

    class Input(serializers.Serializer):
        body = api_text("letter", "body")
        # Absent: the addressee stays as it is.
        addressee = serializers.CharField(
            max_length=200, required=False, allow_blank=True
        )


class LetterIssueApi(_LetterActionApi):
    service = staticmethod(services.letter_issue)


class LetterCancelApi(_LetterActionApi):
    service = staticmethod(services.letter_cancel)


class LetterVoidApi(_LetterActionApi):
    service = staticmethod(services.letter_void)

    class Input(serializers.Serializer):
        reason = api_text("letter", "void_reason")
