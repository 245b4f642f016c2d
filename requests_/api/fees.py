"""Staff API for a request's fee notice, its outcome, and the repeat link.

Every call reads the request through ``readable_requests_qs`` and acts through
the services of ``requests_.services.fees`` and ``.outcomes``; the notice leaves
through ``FeeNoticeOutput`` (no applicant identity, no applicant key).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema

from django.http import Http404
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_views import ObjectActionApi
from portal.validation import api_text
from requests_ import fees, permissions, services
from requests_.api.requests import _scoped, request_output
from requests_.models import FeeNotice, FeeScale
from requests_.serializers import RequestOutput


class FeeNoticeOutput(serializers.Serializer):
    """A fee notice as the 收费通知书 states it, and what became of it."""

    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id")
    tracking_code = serializers.CharField(source="request.tracking_code")
    scale = serializers.CharField()
    scale_label = serializers.CharField(source="get_scale_display")
    quantity = serializers.IntegerField(help_text="按件：本申请计算的件数；按量：页数")
    earlier_items = serializers.IntegerField(
        help_text="按件：申请人当月此前向本机关提出的申请件数"
    )
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    basis = serializers.CharField()
    how_to_pay = serializers.CharField()
    notified_on = serializers.DateField()
    pay_by = serializers.DateField()
    pay_by_explanation = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    issued_by = serializers.CharField(source="issued_by.username", allow_null=True)
    paid_amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True
    )
    paid_on = serializers.DateField(allow_null=True)
    receipt_number = serializers.CharField()
    waiver_reason = serializers.CharField()
    waived_by = serializers.CharField(source="waived_by.username", allow_null=True)
    waived_on = serializers.DateField(allow_null=True)
    lapsed_on = serializers.DateField(allow_null=True)


def _notice(item: Any) -> FeeNotice:
    notice = (
        FeeNotice.objects.filter(request=item)
        .select_related("request", "issued_by", "waived_by")
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def _out(notice: FeeNotice, code: int = status.HTTP_200_OK) -> Response:
    return Response(FeeNoticeOutput(_notice(notice.request)).data, status=code)


class FeeNoticeApi(APIView):
    """GET the request's fee notice; POST sends it (the clock stops)."""

    class Input(serializers.Serializer):
        scale = serializers.ChoiceField(choices=FeeScale.choices)
        quantity = serializers.IntegerField(min_value=1)
        how_to_pay = api_text("fee", "how_to_pay")
        on = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(responses=FeeNoticeOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(FeeNoticeOutput(_notice(_scoped(request, pk))).data)

    @extend_schema(request=Input, responses={201: FeeNoticeOutput})
    def post(self, request: Request, pk: int) -> Response:
        item = _scoped(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.fee_notify(
            actor=request.user, request=item, **data.validated_data
        )
        return _out(notice, status.HTTP_201_CREATED)


# One fee service on the readable request, answered with its fee notice.
class _FeeStepApi(ObjectActionApi):
    class Input(serializers.Serializer):
        pass

    Output = FeeNoticeOutput
    target = "request"

    def read(self, request: Request, key: Any) -> Any:
        return _scoped(request, key)

    def answer(self, obj: Any, result: FeeNotice) -> Response:
        return _out(result)


class FeePaymentApi(_FeeStepApi):
    class Input(serializers.Serializer):
        paid_amount = serializers.DecimalField(max_digits=10, decimal_places=2)
        paid_on = serializers.DateField(required=False, allow_null=True, default=None)
        receipt_number = api_text("fee", "receipt_number")

    service = staticmethod(services.fee_record_payment)


class FeeWaiverApi(_FeeStepApi):
    class Input(serializers.Serializer):
        reason = api_text("fee", "reason")
        on = serializers.DateField(required=False, allow_null=True, default=None)

    service = staticmethod(services.fee_waive)


class FeeLapseApi(_FeeStepApi):
    class Input(serializers.Serializer):
        on = serializers.DateField(required=False, allow_null=True, default=None)

    service = staticmethod(services.fee_lapse)


class PendingFeeNoticesApi(APIView):
    """The reader's pending fee notices, soonest payment deadline first."""

    @extend_schema(responses=FeeNoticeOutput(many=True))
    def get(self, request: Request) -> Response:
        notices = fees.pending_fee_notices(
            permissions.readable_requests_qs(request.user)
        ).select_related("issued_by", "waived_by")[:200]
        return Response(FeeNoticeOutput(notices, many=True).data)


class RequestRepeatOfApi(APIView):
    """Link the request to the earlier request of the same applicant (（五）2)."""

    class Input(serializers.Serializer):
        earlier = serializers.IntegerField(allow_null=True)

    @extend_schema(request=Input, responses=RequestOutput)
    def post(self, request: Request, pk: int) -> Response:
        item = _scoped(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        earlier = None
        if data.validated_data["earlier"] is not None:
            earlier = _scoped(request, data.validated_data["earlier"])
        services.request_mark_repeat(actor=request.user, request=item, earlier=earlier)
        item.refresh_from_db()
        return Response(request_output(item, request.user))
