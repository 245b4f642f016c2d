"""The negative-list API: public reads of published lists, one class per staff action.

Public reads say ``AllowAny``; everything else inherits the closed default
(session or token authentication). Objects are fetched through the scopers.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from negative_list import permissions, selectors, services
from negative_list.diff import diff_versions
from negative_list.models import (
    Entry,
    Exemption,
    Provision,
    ReviewTask,
)
from negative_list.serializers import (
    CycleOutput,
    EntryContentInput,
    EntryDetailOutput,
    EntryOutput,
    ExemptionOutput,
    ItemOutput,
    ProvisionOutput,
    TaskOutput,
    VersionOutput,
    VersionSummaryOutput,
)
from negative_list.services.catalogue import LAW_DATES
from portal.api_fields import SlugRelatedField
from portal.api_views import ObjectActionApi
from portal.errors import PermissionDenied
from portal.models import Agency
from portal.params import supported_date_validators
from portal.validation import limit

# --- helpers -------------------------------------------------------------------------


def _agency(code: str) -> Agency:
    return get_object_or_404(Agency, code=code, is_active=True)


def _staff_agency(request: Request, code: str) -> Agency:
    return get_object_or_404(permissions.staff_agencies_qs(request.user), code=code)


def _entry(request: Request, pk: int) -> Entry:
    return get_object_or_404(permissions.readable_entries_qs(request.user), pk=pk)


def _entry_response(entry: Entry, code: int = status.HTTP_200_OK) -> Response:
    entry.refresh_from_db()
    return Response(EntryDetailOutput(entry).data, status=code)


# --- public --------------------------------------------------------------------------


class ListIndexApi(APIView):
    permission_classes = [AllowAny]

    class Output(serializers.Serializer):
        agency = serializers.CharField(source="agency.code")
        agency_name = serializers.CharField(source="agency.name")
        version = serializers.IntegerField(source="version.number")
        published_at = serializers.DateTimeField(source="version.published_at")
        entry_count = serializers.IntegerField()
        last_reviewed = serializers.DateTimeField(allow_null=True)

    @extend_schema(
        summary="已发布负面清单一览",
        description="每个已发布负面清单的机构一行：现行版本、事项数、最近定期评审时间。",
        responses=Output(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(self.Output(selectors.published_lists(), many=True).data)


class ExemptionListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="不予公开类别",
        description="负面清单事项可引用的不予公开类别（豁免情形）。",
        responses=ExemptionOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(ExemptionOutput(Exemption.objects.all(), many=True).data)


class ProvisionListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="法律政策依据目录",
        description="负面清单事项可引用的法律、法规条款及其对应的不予公开类别。",
        responses=ProvisionOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        provisions = Provision.objects.prefetch_related("exemptions")
        return Response(ProvisionOutput(provisions, many=True).data)


class AgencyListApi(APIView):
    """The agency's current published list."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="机构现行负面清单",
        description="机构现行（最新发布）版本的负面清单，含全部事项和清单解读。",
        responses=VersionOutput,
    )
    def get(self, request: Request, code: str) -> Response:
        version = selectors.current_list_version(_agency(code))
        if version is None:
            return Response(
                {"error": {"code": "not_found", "message": "该机构尚未发布负面清单。"}},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(VersionOutput(version).data)


class VersionListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="负面清单历史版本",
        description="机构负面清单的全部已发布版本，新版本在前。",
        responses=VersionSummaryOutput(many=True),
    )
    def get(self, request: Request, code: str) -> Response:
        versions = selectors.list_versions(_agency(code)).select_related(
            "agency", "review_cycle"
        )
        return Response(VersionSummaryOutput(versions, many=True).data)


class VersionDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="负面清单指定版本",
        description="机构负面清单某一已发布版本的全部事项和清单解读。",
        responses=VersionOutput,
    )
    def get(self, request: Request, code: str, number: int) -> Response:
        version = get_object_or_404(
            permissions.readable_list_versions_qs(request.user),
            agency=_agency(code),
            number=number,
        )
        return Response(VersionOutput(version).data)


class DiffApi(APIView):
    permission_classes = [AllowAny]

    class Input(serializers.Serializer):
        from_ = serializers.IntegerField(min_value=1)
        to = serializers.IntegerField(min_value=1)

        def to_internal_value(self, data):
            data = {"from_": data.get("from"), "to": data.get("to")}
            return super().to_internal_value(data)

    class ItemChange(serializers.Serializer):
        entry = serializers.CharField(source="new.entry.code")
        title = serializers.CharField(source="new.title")
        changes = serializers.SerializerMethodField()

        def get_changes(self, obj) -> list[dict]:
            return [
                {
                    "field": c.name,
                    "old": c.old,
                    "new": c.new,
                    "segments": [{"op": s.op, "text": s.text} for s in c.segments],
                }
                for c in obj.changes
            ]

    @extend_schema(
        summary="负面清单版本对比",
        description="两个已发布版本之间新增、取消、修改和未变的事项。",
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.INT, required=True, description="旧版本号"
            ),
            OpenApiParameter(
                "to", OpenApiTypes.INT, required=True, description="新版本号"
            ),
        ],
        responses=inline_serializer(
            name="NegativeListDiff",
            fields={
                "from": serializers.IntegerField(help_text="旧版本号"),
                "to": serializers.IntegerField(help_text="新版本号"),
                "added": ItemOutput(many=True, help_text="新增事项"),
                "retired": ItemOutput(many=True, help_text="取消事项"),
                "amended": ItemChange(many=True, help_text="修改的事项及逐字段差异"),
                "unchanged": serializers.IntegerField(help_text="未变事项数"),
            },
        ),
    )
    def get(self, request: Request, code: str) -> Response:
        agency = _agency(code)
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        versions = permissions.readable_list_versions_qs(request.user).filter(
            agency=agency
        )
        old = get_object_or_404(versions, number=data.validated_data["from_"])
        new = get_object_or_404(versions, number=data.validated_data["to"])
        diff = diff_versions(old, new)
        return Response(
            {
                "from": old.number,
                "to": new.number,
                "added": ItemOutput(diff.added, many=True).data,
                "retired": ItemOutput(diff.retired, many=True).data,
                "amended": self.ItemChange(diff.amended, many=True).data,
                "unchanged": diff.unchanged,
            }
        )


# --- staff: entries ------------------------------------------------------------------


class EntryListApi(APIView):
    @extend_schema(responses=EntryOutput(many=True))
    def get(self, request: Request) -> Response:
        entries = selectors.entries_for(
            request.user, status=request.query_params.get("status")
        )
        return Response(EntryOutput(entries, many=True).data)


class EntryDetailApi(APIView):
    Output = EntryDetailOutput

    def get(self, request: Request, pk: int) -> Response:
        return _entry_response(_entry(request, pk))


class EntryCreateApi(APIView):
    success_status = status.HTTP_201_CREATED
    Output = EntryDetailOutput

    class Input(EntryContentInput):
        agency = SlugRelatedField(slug_field="code", queryset=Agency.objects.all())

    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.entry_create(
            actor=request.user,
            agency=data.validated_data["agency"],
            content=data.content(),
        )
        return _entry_response(entry, self.success_status)


class EntryUpdateApi(APIView):
    Output = EntryDetailOutput
    Input = EntryContentInput

    def post(self, request: Request, pk: int) -> Response:
        entry = _entry(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        return _entry_response(
            services.entry_update(
                actor=request.user, entry=entry, content=data.content()
            )
        )


# One workflow service run on a readable entry, answered with the entry as stored.
# A subclass names the ``service`` and, where it takes fields, its ``Input``.
class _EntryActionApi(ObjectActionApi):
    scope = staticmethod(permissions.readable_entries_qs)
    target = "entry"
    Output = EntryDetailOutput

    def answer(self, obj: Entry, result: Entry) -> Response:
        return _entry_response(result)


class EntrySubmitApi(_EntryActionApi):
    service = staticmethod(services.entry_submit)


class EntryApproveApi(_EntryActionApi):
    service = staticmethod(services.entry_approve)

    class Input(serializers.Serializer):
        note = serializers.CharField(
            max_length=limit("entry", "note"),
            required=False,
            allow_blank=True,
            default="",
        )


class EntryReturnApi(_EntryActionApi):
    service = staticmethod(services.entry_return)

    class Input(serializers.Serializer):
        reason = serializers.CharField(max_length=limit("entry", "reason"))


class EntryAmendApi(_EntryActionApi):
    service = staticmethod(services.entry_amend)

    class Input(serializers.Serializer):
        change_note = serializers.CharField(
            max_length=limit("entry", "change_note"),
            required=False,
            allow_blank=True,
            default="",
        )


# --- staff: lists --------------------------------------------------------------------


class PublishApi(ObjectActionApi):
    scope = staticmethod(permissions.staff_agencies_qs)
    lookup = "code"
    target = "agency"
    service = staticmethod(services.list_version_publish)
    success_status = status.HTTP_201_CREATED
    Output = VersionOutput

    class Input(serializers.Serializer):
        note = serializers.CharField(
            max_length=limit("list_version", "note"),
            required=False,
            allow_blank=True,
            default="",
        )


class InterpretationApi(APIView):
    """The agency's working interpretation, before it is published (staff only)."""

    class Output(serializers.Serializer):
        review_basis = serializers.CharField()
        adjustment_standards = serializers.CharField()
        operating_procedure = serializers.CharField()

    def get(self, request: Request, code: str) -> Response:
        agency = _staff_agency(request, code)
        interpretation = selectors.interpretation_draft(agency)
        return Response(self.Output(interpretation).data)


class InterpretationUpdateApi(ObjectActionApi):
    scope = staticmethod(permissions.staff_agencies_qs)
    lookup = "code"
    target = "agency"
    service = staticmethod(services.interpretation_update)
    Output = InterpretationApi.Output

    class Input(serializers.Serializer):
        review_basis = serializers.CharField(
            max_length=limit("interpretation", "review_basis"), allow_blank=True
        )
        adjustment_standards = serializers.CharField(
            max_length=limit("interpretation", "adjustment_standards"),
            allow_blank=True,
        )
        operating_procedure = serializers.CharField(
            max_length=limit("interpretation", "operating_procedure"),
            allow_blank=True,
        )


class ImportApi(APIView):
    success_status = status.HTTP_201_CREATED

    class Input(serializers.Serializer):
        file = serializers.FileField()

    class Output(serializers.Serializer):
        imported = serializers.ListField(
            child=serializers.CharField(), help_text="导入的事项编号"
        )

    def post(self, request: Request, code: str) -> Response:
        agency = _staff_agency(request, code)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        entries = services.entries_import(
            actor=request.user, agency=agency, data=upload.read(), filename=upload.name
        )
        return Response(
            self.Output({"imported": [e.code for e in entries]}).data,
            status=self.success_status,
        )


class ProvisionCreateApi(APIView):
    success_status = status.HTTP_201_CREATED
    Output = ProvisionOutput

    class Input(serializers.Serializer):
        law = serializers.CharField(max_length=limit("provision", "law"))
        article = serializers.CharField(
            max_length=limit("provision", "article"),
            required=False,
            allow_blank=True,
            default="",
        )
        text = serializers.CharField(
            max_length=limit("provision", "text"),
            required=False,
            allow_blank=True,
            default="",
        )
        in_force_from = serializers.DateField(
            required=False,
            allow_null=True,
            default=None,
            validators=supported_date_validators(*LAW_DATES),
        )
        repealed_on = serializers.DateField(
            required=False,
            allow_null=True,
            default=None,
            validators=supported_date_validators(*LAW_DATES),
        )
        exemptions = SlugRelatedField(
            slug_field="code",
            queryset=Exemption.objects.all(),
            many=True,
            required=False,
            default=list,
        )

    def post(self, request: Request) -> Response:
        if not permissions.can_manage_provisions(request.user):
            raise PermissionDenied()
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        provision = services.provision_save(actor=request.user, **data.validated_data)
        return Response(ProvisionOutput(provision).data, status=self.success_status)


class ProvisionUpdateApi(APIView):
    """Change a catalogue provision, e.g. mark it repealed."""

    Input = ProvisionCreateApi.Input
    Output = ProvisionOutput

    def post(self, request: Request, pk: int) -> Response:
        if not permissions.can_manage_provisions(request.user):
            raise PermissionDenied()
        provision = get_object_or_404(Provision, pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        provision = services.provision_save(
            actor=request.user, provision=provision, **data.validated_data
        )
        return Response(ProvisionOutput(provision).data)


# --- staff: review cycles ------------------------------------------------------------


class CycleListApi(APIView):
    @extend_schema(responses=CycleOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(CycleOutput(selectors.cycles_for(request.user), many=True).data)


class CycleDetailApi(APIView):
    class Output(CycleOutput):
        tasks = TaskOutput(many=True, source="readable_tasks")

        class Meta(CycleOutput.Meta):
            fields = [*CycleOutput.Meta.fields, "tasks"]

    def get(self, request: Request, pk: int) -> Response:
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        # Only the tasks the reader may see, not every task of the cycle.
        cycle.readable_tasks = selectors.cycle_tasks(request.user, cycle)
        return Response(self.Output(cycle).data)


class CycleOpenApi(APIView):
    success_status = status.HTTP_201_CREATED
    Output = CycleOutput

    class Input(serializers.Serializer):
        title = serializers.CharField(max_length=limit("review_cycle", "title"))
        agency = SlugRelatedField(
            slug_field="code",
            queryset=Agency.objects.all(),
            required=False,
            allow_null=True,
            default=None,
        )
        due_on = serializers.DateField(validators=supported_date_validators())

    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = services.review_cycle_open(actor=request.user, **data.validated_data)
        return Response(CycleOutput(cycle).data, status=self.success_status)


class CycleCloseApi(APIView):
    class Output(serializers.Serializer):
        versions = VersionSummaryOutput(many=True, help_text="评审结束后发布的新版本")

    def post(self, request: Request, pk: int) -> Response:
        cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
        versions = services.review_cycle_close(actor=request.user, cycle=cycle)
        return Response(self.Output({"versions": versions}).data)


class TaskDetailApi(APIView):
    Output = TaskOutput

    def get(self, request: Request, pk: int) -> Response:
        task = get_object_or_404(
            permissions.readable_review_tasks_qs(request.user), pk=pk
        )
        return Response(TaskOutput(task).data)


class TaskRecordApi(ObjectActionApi):
    scope = staticmethod(permissions.readable_review_tasks_qs)
    target = "task"
    service = staticmethod(services.review_task_record)
    Output = TaskOutput

    class Input(serializers.Serializer):
        legality = serializers.ChoiceField(choices=ReviewTask.Verdict.choices)
        conciseness = serializers.ChoiceField(choices=ReviewTask.Verdict.choices)
        decision = serializers.ChoiceField(choices=ReviewTask.Decision.choices)
        reasons = serializers.CharField(
            max_length=limit("review_task", "reasons"),
            required=False,
            allow_blank=True,
            default="",
        )
