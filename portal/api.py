"""The core's API: one class per action, nested Input/Output serializers.

Public reads say ``AllowAny`` here; everything else inherits the closed default.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import api_fields, permissions, selectors, services
from portal.api_views import ObjectActionApi
from portal.calendar import FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE, default_calendar
from portal.errors import PermissionDenied
from portal.models import Agency, CalendarOverride, Role
from portal.params import supported_date_validators
from portal.validation import limit


class AgencyOutput(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "parent", "depth", "is_active"]


class MeApi(APIView):
    class Output(serializers.Serializer):
        class Role(serializers.Serializer):
            agency = serializers.CharField(source="agency.code", help_text="机构代码")
            role = serializers.CharField()

        username = serializers.CharField(source="get_username")
        is_superuser = serializers.BooleanField()
        roles = Role(many=True)

    def get(self, request: Request) -> Response:
        user = request.user
        user.roles = permissions.readable_memberships_qs(user).filter(user=user)
        return Response(self.Output(user).data)


class AgencyListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="机构列表",
        description="全部机构，按机构树深度优先排列。",
        responses=AgencyOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        agencies = selectors.agency_tree(request.user)
        return Response(AgencyOutput(agencies, many=True).data)


class AgencyDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="机构详情", responses=AgencyOutput)
    def get(self, request: Request, code: str) -> Response:
        agency = get_object_or_404(
            permissions.readable_agencies_qs(request.user), code=code
        )
        return Response(AgencyOutput(agency).data)


class AgencyCreateApi(APIView):
    success_status = status.HTTP_201_CREATED
    Output = AgencyOutput

    class Input(serializers.Serializer):
        code = serializers.CharField(max_length=limit("agency", "code"))
        name = serializers.CharField(max_length=limit("agency", "name"))
        short_name = serializers.CharField(
            max_length=limit("agency", "short_name"), required=False, default=""
        )
        kind = serializers.ChoiceField(choices=Agency.Kind.choices)
        parent = api_fields.SlugRelatedField(
            slug_field="code",
            queryset=Agency.objects.all(),
            required=False,
            allow_null=True,
        )
        sort_order = serializers.IntegerField(min_value=0, required=False, default=0)

    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        agency = services.agency_create(actor=request.user, **data.validated_data)
        return Response(AgencyOutput(agency).data, status=self.success_status)


class AgencyUpdateApi(ObjectActionApi):
    scope = staticmethod(permissions.readable_agencies_qs)
    lookup = "code"
    target = "agency"
    service = staticmethod(services.agency_update)
    Output = AgencyOutput

    class Input(serializers.Serializer):
        name = serializers.CharField(max_length=limit("agency", "name"), required=False)
        short_name = serializers.CharField(
            max_length=limit("agency", "short_name"), required=False, allow_blank=True
        )
        kind = serializers.ChoiceField(choices=Agency.Kind.choices, required=False)
        parent = api_fields.SlugRelatedField(
            slug_field="code",
            queryset=Agency.objects.all(),
            required=False,
            allow_null=True,
        )
        sort_order = serializers.IntegerField(min_value=0, required=False)
        is_active = serializers.BooleanField(required=False)


class MembershipOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.CharField(source="user.username")
    agency = serializers.CharField(source="agency.code")
    role = serializers.CharField()


class MembershipListApi(APIView):
    @extend_schema(responses=MembershipOutput(many=True))
    def get(self, request: Request) -> Response:
        memberships = permissions.readable_memberships_qs(request.user)
        return Response(MembershipOutput(memberships, many=True).data)


class MembershipGrantApi(APIView):
    success_status = status.HTTP_201_CREATED
    Output = MembershipOutput

    class Input(serializers.Serializer):
        username = serializers.CharField(max_length=limit("membership", "username"))
        agency = api_fields.SlugRelatedField(
            slug_field="code", queryset=Agency.objects.all()
        )
        role = serializers.ChoiceField(choices=Role.choices)

    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        user = get_object_or_404(
            get_user_model(), username=data.validated_data["username"]
        )
        membership = services.membership_grant(
            actor=request.user,
            user=user,
            agency=data.validated_data["agency"],
            role=data.validated_data["role"],
        )
        return Response(MembershipOutput(membership).data, status=self.success_status)


class MembershipRevokeApi(APIView):
    success_status = status.HTTP_204_NO_CONTENT

    def post(self, request: Request, pk: int) -> Response:
        membership = get_object_or_404(
            permissions.readable_memberships_qs(request.user), pk=pk
        )
        services.membership_revoke(actor=request.user, membership=membership)
        return Response(status=self.success_status)


class DeadlineApi(APIView):
    """Explain a statutory deadline: public, since applicants count days too."""

    permission_classes = [AllowAny]

    class Input(serializers.Serializer):
        start = serializers.DateField(validators=supported_date_validators())
        days = serializers.IntegerField(min_value=0, max_value=200)

    class Output(serializers.Serializer):
        class Day(serializers.Serializer):
            date = serializers.DateField()
            reason = serializers.CharField()

        start = serializers.DateField()
        working_days = serializers.IntegerField()
        due = serializers.DateField()
        provisional = serializers.BooleanField(
            help_text="跨越尚未公布放假安排的年份时为真"
        )
        unknown_years = serializers.ListField(child=serializers.IntegerField())
        skipped = Day(many=True, help_text="跳过的周末和节假日")
        makeup_workdays = Day(many=True, help_text="计入的调休上班日")
        explanation = serializers.CharField()

    @extend_schema(
        summary="计算法定期限",
        description="从起算日起算若干个工作日的到期日，并说明计入的日期、"
        "跳过的节假日和调休上班日。",
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATE,
                required=True,
                description=(
                    f"起算日（{FIRST_SUPPORTED_DATE} 至 {LAST_SUPPORTED_DATE}）"
                ),
            ),
            OpenApiParameter(
                "days", OpenApiTypes.INT, required=True, description="工作日数（0–200）"
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        deadline = default_calendar().deadline(
            data.validated_data["start"], data.validated_data["days"]
        )
        return Response(self.Output(deadline.as_dict()).data)


class CalendarOverrideOutput(serializers.ModelSerializer):
    class Meta:
        model = CalendarOverride
        fields = ["id", "date", "is_workday", "note"]


class CalendarOverrideListApi(APIView):
    permission_classes = [AllowAny]

    class Filter(serializers.Serializer):
        # Bounded: a year outside 1–9999 is no date (it used to answer 500).
        year = serializers.IntegerField(
            min_value=1, max_value=9999, required=False, default=None
        )

    @extend_schema(
        summary="工作日调整",
        description="政务公开办录入的节假日和调休安排，优先于内置日历。",
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": 1, "maximum": 9999},
                description="只列出该年度",
            )
        ],
        responses=CalendarOverrideOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        data = self.Filter(data=request.query_params)
        data.is_valid(raise_exception=True)
        overrides = selectors.calendar_overrides(data.validated_data["year"])
        return Response(CalendarOverrideOutput(overrides, many=True).data)


class CalendarOverrideSetApi(APIView):
    success_status = status.HTTP_201_CREATED
    Output = CalendarOverrideOutput

    class Input(serializers.Serializer):
        date = serializers.DateField(validators=supported_date_validators())
        is_workday = serializers.BooleanField()
        note = serializers.CharField(max_length=limit("calendar_override", "note"))

    def post(self, request: Request) -> Response:
        if not permissions.can_manage_calendar(request.user):
            raise PermissionDenied()
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        override = services.calendar_override_set(
            actor=request.user, **data.validated_data
        )
        return Response(
            CalendarOverrideOutput(override).data, status=self.success_status
        )


class CalendarOverrideDeleteApi(APIView):
    success_status = status.HTTP_204_NO_CONTENT

    def post(self, request: Request, pk: int) -> Response:
        override = get_object_or_404(CalendarOverride, pk=pk)
        services.calendar_override_delete(actor=request.user, override=override)
        return Response(status=self.success_status)
