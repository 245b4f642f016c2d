"""Output serializers of the negative-list API (shared by several endpoints).

Each endpoint's Input serializer is nested in its API class.
"""

from __future__ import annotations

from rest_framework import serializers

from negative_list import lint, services
from negative_list.models import (
    Entry,
    EntryVersion,
    Exemption,
    ListVersion,
    Provision,
    ReviewCycle,
    ReviewTask,
)
from portal.api_fields import PrimaryKeyRelatedField
from portal.validation import limit


class ExemptionOutput(serializers.ModelSerializer):
    class Meta:
        model = Exemption
        fields = ["code", "name", "short_name", "article", "binding"]


class ProvisionOutput(serializers.ModelSerializer):
    exemptions = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    repealed = serializers.SerializerMethodField()

    class Meta:
        model = Provision
        fields = [
            "id",
            "law",
            "article",
            "citation",
            "text",
            "in_force_from",
            "repealed_on",
            "repealed",
            "exemptions",
        ]

    def get_repealed(self, obj: Provision) -> bool:
        return obj.is_repealed()


class ItemOutput(serializers.Serializer):
    position = serializers.IntegerField()
    entry = serializers.CharField(source="entry.code")
    category = serializers.CharField(source="category_code")
    category_name = serializers.CharField()
    title = serializers.CharField()
    scope = serializers.CharField()
    basis = serializers.CharField()
    notes = serializers.CharField()


class VersionSummaryOutput(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    change_summary = serializers.JSONField()
    review_cycle = serializers.CharField(
        source="review_cycle.title", default=None, allow_null=True
    )


class VersionOutput(VersionSummaryOutput):
    note = serializers.CharField()
    interpretation = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()

    def get_interpretation(self, obj: ListVersion) -> dict[str, str]:
        return {
            "review_basis": obj.review_basis,
            "adjustment_standards": obj.adjustment_standards,
            "operating_procedure": obj.operating_procedure,
        }

    def get_items(self, obj: ListVersion) -> list[dict]:
        items = obj.items.select_related("entry").order_by("position")
        return ItemOutput(items, many=True).data


class EntryVersionOutput(serializers.ModelSerializer):
    category = serializers.CharField(source="category_id")
    provisions = serializers.SerializerMethodField()
    author = serializers.CharField(
        source="author.username", default=None, allow_null=True
    )
    last_edited_by = serializers.CharField(
        source="last_edited_by.username", default=None, allow_null=True
    )
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", default=None, allow_null=True
    )

    class Meta:
        model = EntryVersion
        fields = [
            "number",
            "category",
            "title",
            "scope",
            "provisions",
            "responsible_unit",
            "notes",
            "author",
            "last_edited_by",
            "reviewed_by",
            "reviewed_at",
            "submitted_at",
            "return_reason",
            "change_note",
        ]

    def get_provisions(self, obj: EntryVersion) -> list[int]:
        return [p.pk for p in obj.provisions.all()]


class EntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    status = serializers.CharField()
    category_code = serializers.CharField()
    title = serializers.CharField()
    version = EntryVersionOutput(source="latest_version")


class EntryDetailOutput(EntryOutput):
    versions = EntryVersionOutput(many=True)
    checks = serializers.SerializerMethodField()

    def get_checks(self, obj: Entry) -> list[dict[str, str]]:
        return [
            {"code": f.code, "message": f.message}
            for f in lint.check_version(obj.latest_version)
        ]


class TaskOutput(serializers.ModelSerializer):
    entry = serializers.CharField(source="entry.code")
    agency = serializers.CharField(source="agency.code")
    title = serializers.CharField(source="entry_version.title")
    reviewer = serializers.CharField(
        source="reviewer.username", default=None, allow_null=True
    )

    class Meta:
        model = ReviewTask
        fields = [
            "id",
            "cycle",
            "entry",
            "agency",
            "title",
            "status",
            "legality",
            "conciseness",
            "decision",
            "reasons",
            "reviewer",
            "decided_at",
        ]


class CycleOutput(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)

    class Meta:
        model = ReviewCycle
        fields = ["id", "title", "agency", "due_on", "status", "opened_at", "closed_at"]


class EntryContentInput(serializers.Serializer):
    category = PrimaryKeyRelatedField(queryset=Exemption.objects.all())
    title = serializers.CharField(max_length=limit("entry", "title"))
    scope = serializers.CharField(max_length=limit("entry", "scope"))
    provisions = serializers.PrimaryKeyRelatedField(
        queryset=Provision.objects.all(), many=True, required=False, default=list
    )
    responsible_unit = serializers.CharField(
        max_length=limit("entry", "responsible_unit"),
        required=False,
        allow_blank=True,
        default="",
    )
    notes = serializers.CharField(
        max_length=limit("entry", "notes"),
        required=False,
        allow_blank=True,
        default="",
    )

    def content(self) -> services.EntryContent:
        data = dict(self.validated_data)
        data.pop("agency", None)
        data["provisions"] = tuple(data["provisions"])
        return services.EntryContent(**data)
