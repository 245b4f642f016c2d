"""Staff API for disclosures: read (with the screen), edit, attach, approve."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.validation import api_text, limit
from portal.workflow import allowed_actions
from requests_ import permissions, selectors, services
from requests_.api._common import ActionApi, TopicField
from requests_.models import Disclosure, ScreeningHit
from requests_.serializers import StaffDisclosureOutput, StaffDisclosureRowOutput
from requests_.services.screen import hit_context, screen_texts
from requests_.transitions import DISCLOSURE_TRANSITIONS, DisclosureAction


def _actions(disclosure: Disclosure, user: Any) -> list[str]:
    """Return the actions ``user`` may take; approval not to whoever took part."""
    actions = allowed_actions(DISCLOSURE_TRANSITIONS, disclosure, user)
    if DisclosureAction.APPROVE in actions and permissions.took_part_in_disclosure(
        user, disclosure
    ):
        actions.remove(DisclosureAction.APPROVE)
    return actions


def staff_disclosure_data(disclosure: Disclosure, user: Any) -> dict[str, Any]:
    texts = screen_texts(disclosure)
    return {
        "id": disclosure.pk,
        "index_no": disclosure.index_no,
        "agency": disclosure.agency.code,
        "status": disclosure.status,
        "title": disclosure.title,
        "topic": disclosure.topic.code if disclosure.topic_id else None,
        "doc_no": disclosure.doc_no,
        "written_on": disclosure.written_on,
        "summary": disclosure.summary,
        "keywords": disclosure.keywords,
        "body": disclosure.body,
        "publish_at": disclosure.publish_at,
        "is_public": disclosure.is_public(),
        "withdrawn_reason": disclosure.withdrawn_reason,
        "return_reason": disclosure.return_reason,
        "attachments": [
            {"id": a.pk, "name": a.original_name, "size": a.size}
            for a in disclosure.attachments.all()
        ],
        "screening": [
            {
                "id": h.pk,
                "location": h.location,
                "kind": h.kind,
                "status": h.status,
                "reason": h.reason,
                "context": hit_context(h, texts),
            }
            for h in disclosure.screening_hits.all()
        ],
        "available_actions": _actions(disclosure, user),
        "publication_deadline": selectors.publication_deadline(disclosure),
    }


def _scoped(request: Request, pk: int) -> Disclosure:
    return selectors.staff_disclosure(request.user, pk)


def staff_disclosure_output(disclosure: Disclosure, user: Any) -> dict[str, Any]:
    """Return ``staff_disclosure_data`` through its output serializer."""
    return StaffDisclosureOutput(staff_disclosure_data(disclosure, user)).data


class StaffDisclosureListApi(APIView):
    @extend_schema(responses=StaffDisclosureRowOutput(many=True))
    def get(self, request: Request) -> Response:
        items = selectors.staff_disclosure_list(
            request.user, status=request.query_params.get("status")
        )[:200]
        return Response(StaffDisclosureRowOutput(items, many=True).data)


class StaffDisclosureDetailApi(APIView):
    Output = StaffDisclosureOutput

    def get(self, request: Request, pk: int) -> Response:
        return Response(staff_disclosure_output(_scoped(request, pk), request.user))


class _DisclosureActionApi(ActionApi):
    """POST input → one service → the disclosure as now seen by the actor."""

    Output = StaffDisclosureOutput
    target = "disclosure"
    scoped = staticmethod(_scoped)
    output = staticmethod(staff_disclosure_output)


class DisclosureUpdateApi(_DisclosureActionApi):
    class Input(serializers.Serializer):
        title = serializers.CharField(
            max_length=limit("disclosure", "title"), required=False
        )
        topic = TopicField(required=False, allow_null=True)
        doc_no = serializers.CharField(
            max_length=limit("disclosure", "doc_no"), required=False, allow_blank=True
        )
        written_on = serializers.DateField(required=False, allow_null=True)
        summary = serializers.CharField(
            max_length=limit("disclosure", "summary"), required=False, allow_blank=True
        )
        keywords = serializers.CharField(
            max_length=limit("disclosure", "keywords"),
            required=False,
            allow_blank=True,
        )
        body = serializers.CharField(
            max_length=limit("disclosure", "body"), required=False, allow_blank=True
        )

    service = staticmethod(services.disclosure_update)


class DisclosureAttachmentApi(_DisclosureActionApi):
    success_status = status.HTTP_201_CREATED

    class Input(serializers.Serializer):
        file = serializers.FileField()

    def perform(self, actor, disclosure, data):
        return services.disclosure_attachment_add(
            actor=actor, disclosure=disclosure, upload=data["file"]
        )


class DisclosureSubmitApi(_DisclosureActionApi):
    service = staticmethod(services.disclosure_submit)


class _ReasonInput(serializers.Serializer):
    reason = api_text("disclosure", "reason")


class DisclosureReturnApi(_DisclosureActionApi):
    Input = _ReasonInput
    service = staticmethod(services.disclosure_return)


class DisclosureApproveApi(_DisclosureActionApi):
    class Input(serializers.Serializer):
        publish_at = serializers.DateTimeField(
            required=False, allow_null=True, default=None
        )

    service = staticmethod(services.disclosure_approve)


class DisclosureWithdrawApi(_DisclosureActionApi):
    Input = _ReasonInput
    service = staticmethod(services.disclosure_withdraw)


class HitMaskApi(APIView):
    Output = StaffDisclosureOutput

    def post(self, request: Request, pk: int, hit_pk: int) -> Response:
        disclosure = _scoped(request, pk)
        hit = get_object_or_404(ScreeningHit, pk=hit_pk, disclosure=disclosure)
        services.screen_hit_mask(actor=request.user, hit=hit)
        disclosure.refresh_from_db()
        return Response(staff_disclosure_output(disclosure, request.user))


class HitAcceptApi(APIView):
    Output = StaffDisclosureOutput

    class Input(serializers.Serializer):
        reason = api_text("screening", "reason")

    def post(self, request: Request, pk: int, hit_pk: int) -> Response:
        disclosure = _scoped(request, pk)
        hit = get_object_or_404(ScreeningHit, pk=hit_pk, disclosure=disclosure)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.screen_hit_accept(actor=request.user, hit=hit, **data.validated_data)
        return Response(staff_disclosure_output(disclosure, request.user))
