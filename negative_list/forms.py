"""Forms of the workspace pages: input parsing only, no business rules."""

from __future__ import annotations

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list.models import Exemption, Provision, ReviewTask
from negative_list.services import EntryContent
from negative_list.services.catalogue import LAW_DATES
from portal.forms import (
    DATE_INPUT,
    AgencyChoiceField,
    AgencyFormMixin,
    choose_agency,
    short_text,
)
from portal.params import supported_date_validators
from portal.validation import limit


def provisions_current_first() -> QuerySet[Provision]:
    """The catalogue with provisions in force first, repealed ones after them."""
    repealed = Case(
        When(repealed_on__lte=timezone.localdate(), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Provision.objects.annotate(repealed=repealed).order_by(
        "repealed", "law", "article"
    )


class ProvisionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Provision) -> str:
        label = obj.citation
        return f"{label}（已废止）" if obj.is_repealed() else label


class EntryForm(forms.Form):
    agency = AgencyChoiceField(label=_("机构"), required=False)
    category = forms.ModelChoiceField(label=_("类别"), queryset=Exemption.objects.all())
    title = forms.CharField(label=_("事项名称"), max_length=limit("entry", "title"))
    scope = forms.CharField(
        label=_("不予公开的具体范围"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limit("entry", "scope"),
        help_text=_("写明具体文件、数据或事项，避免“其他不宜公开的信息”等兜底表述。"),
    )
    provisions = ProvisionChoiceField(
        label=_("不予公开的法律政策依据"),
        queryset=Provision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("现行有效的规定在前；已废止的规定不能作为新的依据引用。"),
    )
    responsible_unit = forms.CharField(
        label=_("责任处室"),
        max_length=limit("entry", "responsible_unit"),
        required=False,
        widget=short_text(30),
    )
    notes = forms.CharField(
        label=_("说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limit("entry", "notes"),
        required=False,
    )

    def __init__(self, *args, agencies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provisions"].queryset = provisions_current_first()
        if agencies is None:
            del self.fields["agency"]
            return
        self.fields["agency"].required = True
        choose_agency(self, agencies)

    def content(self) -> EntryContent:
        data = self.cleaned_data
        return EntryContent(
            category=data["category"],
            title=data["title"],
            scope=data["scope"],
            provisions=tuple(data["provisions"]),
            responsible_unit=data["responsible_unit"],
            notes=data["notes"],
        )

    @staticmethod
    def initial_for(version) -> dict:
        return {
            "category": version.category_id,
            "title": version.title,
            "scope": version.scope,
            "provisions": list(version.provisions.all()),
            "responsible_unit": version.responsible_unit,
            "notes": version.notes,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limit("entry", "reason"),
    )


class AmendForm(forms.Form):
    change_note = forms.CharField(
        label=_("修订说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limit("entry", "change_note"),
        required=False,
    )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("发布说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limit("list_version", "note"),
        required=False,
    )


class InterpretationForm(forms.Form):
    review_basis = forms.CharField(
        label=_("审核依据"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limit("interpretation", "review_basis"),
        required=False,
    )
    adjustment_standards = forms.CharField(
        label=_("调整标准"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limit("interpretation", "adjustment_standards"),
        required=False,
    )
    operating_procedure = forms.CharField(
        label=_("操作办法"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limit("interpretation", "operating_procedure"),
        required=False,
    )


class ImportForm(AgencyFormMixin, forms.Form):
    agency = AgencyChoiceField(label=_("机构"))
    file = forms.FileField(
        label=_("清单文件"),
        help_text=_(
            "XLSX 或 CSV；表头：序号、类别、事项名称、具体范围、"
            "不予公开的法律政策依据、说明。"
        ),
    )


class ExportForm(AgencyFormMixin, forms.Form):
    agency = AgencyChoiceField(label=_("机构"))
    fmt = forms.ChoiceField(
        label=_("格式"), choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")]
    )


class CycleForm(AgencyFormMixin, forms.Form):
    title = forms.CharField(label=_("名称"), max_length=limit("review_cycle", "title"))
    agency = AgencyChoiceField(
        label=_("机构"), required=False, empty_label=_("全部已发布清单的机构")
    )
    due_on = forms.DateField(
        label=_("截止日期"), widget=DATE_INPUT, validators=supported_date_validators()
    )


class TaskForm(forms.Form):
    legality = forms.ChoiceField(
        label=_("合法性审查"),
        choices=ReviewTask.Verdict.choices,
        widget=forms.RadioSelect,
    )
    conciseness = forms.ChoiceField(
        label=_("精简性审查"),
        choices=ReviewTask.Verdict.choices,
        widget=forms.RadioSelect,
    )
    decision = forms.ChoiceField(
        label=_("结论"), choices=ReviewTask.Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limit("review_task", "reasons"),
        required=False,
    )


class ProvisionForm(forms.Form):
    law = forms.CharField(label=_("法律法规名称"), max_length=limit("provision", "law"))
    article = forms.CharField(
        label=_("条款"),
        max_length=limit("provision", "article"),
        required=False,
        widget=short_text(16),
    )
    text = forms.CharField(
        label=_("条文摘要"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limit("provision", "text"),
        required=False,
    )
    in_force_from = forms.DateField(
        label=_("施行日期"),
        required=False,
        widget=DATE_INPUT,
        validators=supported_date_validators(*LAW_DATES),
    )
    repealed_on = forms.DateField(
        label=_("废止日期"),
        required=False,
        widget=DATE_INPUT,
        validators=supported_date_validators(*LAW_DATES),
    )
    exemptions = forms.ModelMultipleChoiceField(
        label=_("支持的类别"),
        queryset=Exemption.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
