"""Staff API for requests: create, read (with every deadline), one class per action."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_fields import SlugRelatedField
from portal.errors import DomainError
from portal.models import Agency
from portal.params import supported_date_validators
from portal.validation import api_text
from portal.workflow import allowed_actions
from requests_ import permissions, selectors, services
from requests_.api._common import ActionApi
from requests_.clock import overdue_days
from requests_.models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    ConsultationKind,
    ConversionDecision,
    DisclosureRequest,
    ExemptionCode,
    FormWanted,
    NonConversionReason,
    NoticeChannel,
    Outcome,
)
from requests_.serializers import RequestCreatedOutput, RequestOutput, RequestRowOutput
from requests_.services.conversion import conversion_choice
from requests_.services.intake import REGULATION_IN_FORCE, TEXT_LIMITS
from requests_.services.workflow import ENTRY_NOT_PUBLISHED
from requests_.transitions import REQUEST_TRANSITIONS


def _deadline_rows(item: DisclosureRequest) -> list[dict[str, Any]]:
    return [
        {
            "key": row["key"],
            "label": row["label"],
            "due": row["due"].isoformat() if row["due"] else None,
            "provisional": row["provisional"],
            "explanation": row["explanation"],
            "detail": row["detail"],
        }
        for row in selectors.deadlines(item)
    ]


def _consultation(item: DisclosureRequest) -> dict[str, Any] | None:
    """The latest consultation and its own clock (第三十二条, 第三十四条)."""
    if not item.consultation_kind:
        return None
    return {
        "kind": item.consultation_kind,
        "party": item.consultation_party,
        "started_on": item.consultation_started_on,
        "due_on": item.consultation_due_on,
        "ended_on": item.consultation_ended_on,
        "result": item.consultation_result or None,
    }


def request_data(item: DisclosureRequest, user: Any) -> dict[str, Any]:
    """Return the request as its reader may see it.

    ``applicant`` is the identity in full for the handling agency's editors and
    reviewers and masked for everyone else who reads the request
    (``applicant_masked`` says which).
    """
    data = {
        "id": item.pk,
        "tracking_code": item.tracking_code,
        "agency": item.agency.code,
        "channel": item.channel,
        "received_on": item.received_on,
        "submitted_on": item.submitted_on,
        "applicant_type": item.applicant_type,
        "title": item.title,
        "description": item.description,
        "document_hint": item.document_hint,
        "form_wanted": item.form_wanted,
        "status": item.status,
        "status_label": item.get_status_display(),
        "handler": item.handler.get_username() if item.handler_id else None,
        "deadlines": _deadline_rows(item),
        "days_left": item.days_left(),
        "overdue_days": overdue_days(item, timezone.localdate()),
        "correction_requested_on": item.correction_requested_on,
        "correction_reply_by": item.correction_reply_by,
        "correction_received_on": item.correction_received_on,
        "correction_lapsed_on": item.correction_lapsed_on,
        "extension_days": item.extension_days,
        "extension_approved_on": item.extension_approved_on,
        "extension_notified_on": item.extension_notified_on,
        "extension_notice_channel": item.extension_notice_channel or None,
        "consultation": _consultation(item),
        "withdrawn_on": item.withdrawn_on,
        "outcome": item.outcome or None,
        "outcome_label": item.get_outcome_display() if item.outcome else None,
        "exemption_code": item.exemption_code or None,
        "negative_list_entry": item.negative_list_entry_id,
        "replied_on": item.replied_on,
        "reply_text": item.reply_text,
        "has_reply_letter": bool(item.reply_letter),
        "conversion_decision": item.conversion_decision or None,
        "non_conversion_reason": item.non_conversion_reason or None,
        "disclosure": item.disclosure.index_no if item.disclosure_id else None,
        "conversion_reviews": [
            {
                "id": r.pk,
                "decision": r.decision,
                "reason": r.reason or None,
                "note": r.note,
                "status": r.status,
                "proposed_by": r.proposed_by.get_username() if r.proposed_by else None,
                "proposed_on": r.proposed_on,
                "reviewed_by": r.reviewed_by.get_username() if r.reviewed_by else None,
                "reviewed_on": r.reviewed_on,
                "review_note": r.review_note,
                "amends": r.previous_id,
                "amendment_reason": r.amendment_reason,
            }
            for r in item.conversion_reviews.select_related(
                "proposed_by", "reviewed_by"
            )
        ],
        "appeals": [
            {
                "id": a.pk,
                "kind": a.kind,
                "filed_on": a.filed_on,
                "result": a.result,
                "decided_on": a.decided_on,
            }
            for a in item.appeals.all()
        ],
        "available_actions": allowed_actions(REQUEST_TRANSITIONS, item, user),
        "suggested_disclosures": [
            {"index_no": d.index_no, "title": d.title, "score": score}
            for d, score in selectors.similar_disclosures(item)
        ]
        if item.is_open or item.needs_conversion_decision
        else [],
    }
    identity = selectors.identity(user, item)
    if identity is not None:
        data["applicant"] = identity
        data["applicant_masked"] = not permissions.can_read_identity(user, item)
    return data


def _scoped(request: Request, pk: int) -> DisclosureRequest:
    return selectors.readable_request(request.user, pk)


def request_output(item: DisclosureRequest, user: Any) -> dict[str, Any]:
    """Return ``request_data`` through its output serializer."""
    return RequestOutput(request_data(item, user)).data


class RequestListApi(APIView):
    @extend_schema(responses=RequestRowOutput(many=True))
    def get(self, request: Request) -> Response:
        items = selectors.request_list(
            request.user,
            status=request.query_params.get("status"),
            due=request.query_params.get("due"),
        )[:200]
        return Response(RequestRowOutput(items, many=True).data)


class RequestCreateApi(APIView):
    success_status = status.HTTP_201_CREATED

    class Input(serializers.Serializer):
        agency = SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
        channel = serializers.ChoiceField(choices=Channel.choices)
        received_on = serializers.DateField(
            validators=supported_date_validators(first=REGULATION_IN_FORCE)
        )
        applicant_type = serializers.ChoiceField(choices=ApplicantType.choices)
        applicant_name = api_text("request", "applicant_name")
        applicant_id_number = api_text("request", "applicant_id_number", required=False)
        applicant_phone = api_text("request", "applicant_phone", required=False)
        applicant_email = serializers.EmailField(
            max_length=TEXT_LIMITS["applicant_email"],
            required=False,
            allow_blank=True,
            default="",
        )
        applicant_address = api_text("request", "applicant_address", required=False)
        title = api_text("request", "title")
        description = api_text("request", "description")
        document_hint = api_text("request", "document_hint", required=False)
        form_wanted = serializers.ChoiceField(
            choices=FormWanted.choices, default=FormWanted.ELECTRONIC
        )

    Output = RequestCreatedOutput

    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        registered = services.request_register(
            actor=request.user, **data.validated_data
        )
        body = request_data(registered.request, request.user)
        # The status-link secret is shown exactly once, to the registering staff.
        body["status_secret"] = registered.secret
        return Response(self.Output(body).data, status=self.success_status)


class RequestDetailApi(APIView):
    Output = RequestOutput

    def get(self, request: Request, pk: int) -> Response:
        return Response(request_output(_scoped(request, pk), request.user))


class _ActionApi(ActionApi):
    """POST input → one service → the request as now seen by the actor."""

    Output = RequestOutput
    target = "request"
    scoped = staticmethod(_scoped)
    output = staticmethod(request_output)


class _OnInput(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)


class RequestConfirmApi(_ActionApi):
    """Confirm an online submission; ``on`` is its receipt date (第三十一条)."""

    Input = _OnInput
    service = staticmethod(services.request_confirm_receipt)


class RequestAcceptApi(_ActionApi):
    service = staticmethod(services.request_accept)


class RequestCorrectionApi(_ActionApi):
    class Input(_OnInput):
        notice = api_text("request_step", "notice")
        reply_by = serializers.DateField(required=False, allow_null=True, default=None)

    service = staticmethod(services.request_correction_request)


class RequestCorrectionReceiveApi(_ActionApi):
    class Input(_OnInput):
        text = api_text("request_step", "text")

    service = staticmethod(services.request_correction_receive)


class RequestLapseApi(_ActionApi):
    Input = _OnInput
    service = staticmethod(services.request_lapse)


class RequestExtendApi(_ActionApi):
    class Input(_OnInput):
        days = serializers.IntegerField()
        reason = api_text("request_step", "reason")
        applicant_notice = api_text("request_step", "applicant_notice")
        notified_on = serializers.DateField(
            required=False,
            allow_null=True,
            default=None,
            help_text="告知申请人延期的日期（第三十三条）",
        )
        notice_channel = serializers.ChoiceField(
            choices=NoticeChannel.choices,
            required=False,
            allow_blank=True,
            default="",
            help_text="告知申请人的方式",
        )

    service = staticmethod(services.request_extension_approve)


class RequestPauseApi(_ActionApi):
    class Input(_OnInput):
        kind = serializers.ChoiceField(choices=ConsultationKind.choices)
        party = api_text("request_step", "party", required=False)
        note = api_text("request_step", "note", required=False)

    service = staticmethod(services.request_consultation_start)


class RequestResumeApi(_ActionApi):
    Input = _OnInput
    service = staticmethod(services.request_consultation_end)


class RequestRunOutApi(_ActionApi):
    """Record that the consultation's 15 working days passed unanswered."""

    Input = _OnInput
    service = staticmethod(services.request_consultation_run_out)


class RequestReplyApi(_ActionApi):
    class Input(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=Outcome.choices)
        reply_text = api_text("request_step", "reply_text")
        replied_on = serializers.DateField(
            required=False, allow_null=True, default=None
        )
        exemption_code = serializers.ChoiceField(
            choices=ExemptionCode.choices, required=False, allow_blank=True, default=""
        )
        negative_list_entry = serializers.IntegerField(
            required=False, allow_null=True, default=None
        )
        reply_letter = serializers.FileField(
            required=False, allow_null=True, default=None
        )

    def perform(self, actor, item, data):
        from negative_list.models import Entry

        entry_id = data.pop("negative_list_entry")
        entry = Entry.objects.filter(pk=entry_id).first() if entry_id else None
        if entry_id and entry is None:
            raise DomainError(
                ENTRY_NOT_PUBLISHED, code="entry", field="negative_list_entry"
            )
        return services.request_reply(
            actor=actor, request=item, negative_list_entry=entry, **data
        )


class RequestCloseApi(_ActionApi):
    Input = _OnInput
    service = staticmethod(services.request_close)


class RequestWithdrawApi(_ActionApi):
    class Input(_OnInput):
        """``on``: the day the withdrawal was received (not before receipt)."""

        reason = api_text("request_step", "reason", required=False)

    service = staticmethod(services.request_withdraw)


class _ConversionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ConversionDecision.choices)
    reason = serializers.ChoiceField(
        choices=NonConversionReason.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    concerns_applicant = serializers.BooleanField(
        required=False, default=False, help_text="所申请信息涉及申请人自身（不转时）"
    )
    note = api_text("conversion", "note", required=False)
    disclosure = api_text("conversion", "disclosure", required=False)
    title = api_text("conversion", "title", required=False)
    topic = serializers.CharField(
        max_length=8, required=False, allow_blank=True, default=""
    )


def _conversion_choice(item: DisclosureRequest, data: dict) -> dict[str, Any]:
    """Turn the conversion input into the service's keyword arguments."""
    from portal.models import Topic

    topic = Topic.objects.filter(code=data["topic"]).first() if data["topic"] else None
    return conversion_choice(item, {**data, "topic": topic})


class RequestConversionApi(_ActionApi):
    """Convert or link (in force at once), or propose not to convert (reviewed)."""

    Input = _ConversionInput

    def perform(self, actor, item, data):
        return services.conversion_decide(
            actor=actor, request=item, **_conversion_choice(item, data)
        )


class RequestConversionAmendApi(_ActionApi):
    """Amend the decision in force, with the reason for the amendment."""

    class Input(_ConversionInput):
        amendment_reason = api_text("conversion", "amendment_reason")

    def perform(self, actor, item, data):
        return services.conversion_amend(
            actor=actor,
            request=item,
            amendment_reason=data["amendment_reason"],
            **_conversion_choice(item, data),
        )


class ConversionReviewApi(APIView):
    """Approve or return a "not convert" proposal of a request."""

    class Input(serializers.Serializer):
        reason = api_text("conversion", "note", required=False)

    Output = RequestOutput

    def post(self, request: Request, pk: int, review_pk: int, how: str) -> Response:
        from requests_.models import ConversionReview

        item = _scoped(request, pk)
        review = get_object_or_404(ConversionReview, pk=review_pk, request=item)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data["reason"]
        if how == "approve":
            services.conversion_review_approve(
                actor=request.user, review=review, note=reason
            )
        elif how == "return":
            services.conversion_review_return(
                actor=request.user, review=review, reason=reason
            )
        else:
            raise Http404
        item.refresh_from_db()
        return Response(request_output(item, request.user))


class AppealCreateApi(_ActionApi):
    class Input(serializers.Serializer):
        kind = serializers.ChoiceField(choices=AppealKind.choices)
        filed_on = serializers.DateField()
        body = api_text("appeal", "body", required=False)
        note = api_text("appeal", "note", required=False)

    service = staticmethod(services.appeal_record)


class AppealDecideApi(APIView):
    class Input(serializers.Serializer):
        result = serializers.ChoiceField(choices=AppealResult.choices)
        decided_on = serializers.DateField(
            required=False, allow_null=True, default=None
        )
        note = api_text("appeal", "note", required=False)

    Output = RequestOutput

    def post(self, request: Request, pk: int, appeal_pk: int) -> Response:
        item = _scoped(request, pk)
        appeal = get_object_or_404(Appeal, pk=appeal_pk, request=item)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.appeal_decide(actor=request.user, appeal=appeal, **data.validated_data)
        item.refresh_from_db()
        return Response(request_output(item, request.user))
