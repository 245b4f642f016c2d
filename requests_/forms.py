"""Forms: parse and present input. Rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DATE_INPUT, AgencyChoiceField, AgencyFormMixin
from portal.models import Agency, Topic
from portal.params import supported_date_validators
from portal.validation import limit
from requests_.models import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    ConsultationKind,
    ConversionDecision,
    ExemptionCode,
    FormWanted,
    NonConversionReason,
    NoticeChannel,
    Outcome,
)
from requests_.services.intake import REGULATION_IN_FORCE, TEXT_LIMITS

DATE = DATE_INPUT
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class _ApplicantFields(forms.Form):
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantType.choices
    )
    applicant_name = forms.CharField(
        label=_("姓名或名称"), max_length=TEXT_LIMITS["applicant_name"]
    )
    applicant_id_number = forms.CharField(
        label=_("身份证件号码"),
        max_length=TEXT_LIMITS["applicant_id_number"],
        required=False,
        help_text=_(
            "自然人填写18位居民身份证号码；法人或其他组织可填写统一社会信用代码。"
        ),
    )
    applicant_phone = forms.CharField(
        label=_("联系电话"), max_length=TEXT_LIMITS["applicant_phone"], required=False
    )
    applicant_email = forms.EmailField(
        label=_("电子邮箱"), max_length=TEXT_LIMITS["applicant_email"], required=False
    )
    applicant_address = forms.CharField(
        label=_("通信地址"), max_length=TEXT_LIMITS["applicant_address"], required=False
    )
    title = forms.CharField(label=_("所需信息名称"), max_length=TEXT_LIMITS["title"])
    description = forms.CharField(
        label=_("所需信息描述"),
        widget=TEXTAREA,
        max_length=TEXT_LIMITS["description"],
        help_text=_(
            "请尽量写明文件名称、文号或其他便于查询的特征（不超过 10000 字）。"
        ),
    )
    document_hint = forms.CharField(
        label=_("文号等特征"), max_length=TEXT_LIMITS["document_hint"], required=False
    )
    form_wanted = forms.ChoiceField(
        label=_("获取信息的方式"),
        choices=FormWanted.choices,
        initial=FormWanted.ELECTRONIC,
    )


class OnlineRequestForm(_ApplicantFields):
    agency = AgencyChoiceField(
        label=_("向哪个机关申请"), queryset=Agency.objects.filter(is_active=True)
    )
    field_order = ["agency"]


class RegisterRequestForm(AgencyFormMixin, _ApplicantFields):
    agency = AgencyChoiceField(label=_("办理机关"))
    channel = forms.ChoiceField(
        label=_("申请方式"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
    )
    received_on = forms.DateField(
        label=_("收到申请日期"),
        widget=DATE,
        validators=supported_date_validators(first=REGULATION_IN_FORCE),
        help_text=_(
            "当面提交为提交当日；邮寄为签收之日；传真、电子邮件为双方确认之日。"
        ),
    )
    field_order = ["agency", "channel", "received_on"]


class TrackForm(forms.Form):
    tracking_code = forms.CharField(label=_("查询码"), max_length=16)
    secret = forms.CharField(label=_("查询密钥"), max_length=64)


class CorrectionAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("补正内容"),
        widget=TEXTAREA,
        max_length=limit("request_step", "text"),
        help_text=_("不超过 10000 字。"),
    )


class EmptyForm(forms.Form):
    pass


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DATE, required=False)


class CorrectionRequestForm(OnDateForm):
    notice = forms.CharField(
        label=_("补正告知内容"),
        widget=TEXTAREA,
        max_length=limit("request_step", "notice"),
    )
    reply_by = forms.DateField(
        label=_("申请人补正期限"),
        widget=DATE,
        required=False,
        help_text=_("留空则为告知之日起15个工作日。"),
    )


class CorrectionReceiveForm(OnDateForm):
    text = forms.CharField(
        label=_("补正后的申请内容"),
        widget=TEXTAREA,
        max_length=limit("request_step", "text"),
    )


class ExtendForm(OnDateForm):
    days = forms.IntegerField(
        label=_("延长工作日"), min_value=1, max_value=20, initial=20
    )
    reason = forms.CharField(
        label=_("延期理由"),
        widget=TEXTAREA,
        max_length=limit("request_step", "reason"),
    )
    applicant_notice = forms.CharField(
        label=_("告知申请人的延期通知"),
        widget=TEXTAREA,
        max_length=limit("request_step", "applicant_notice"),
    )
    notified_on = forms.DateField(
        label=_("告知申请人日期"),
        widget=DATE,
        help_text=_("应在原答复期限届满前告知（第三十三条）。"),
    )
    notice_channel = forms.ChoiceField(
        label=_("告知方式"), choices=NoticeChannel.choices
    )


class PauseForm(OnDateForm):
    kind = forms.ChoiceField(label=_("征求意见类型"), choices=ConsultationKind.choices)
    party = forms.CharField(
        label=_("征求意见对象"),
        max_length=limit("request_step", "party"),
        help_text=_("第三方或其他机关的名称；对方自收到之日起 15 个工作日内答复。"),
    )
    note = forms.CharField(
        label=_("说明"),
        widget=TEXTAREA,
        max_length=limit("request_step", "note"),
        required=False,
    )


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=Outcome.choices)
    exemption_code = forms.ChoiceField(
        label=_("不予公开依据类别"),
        choices=[("", "—"), *ExemptionCode.choices],
        required=False,
    )
    negative_list_entry = forms.ModelChoiceField(
        label=_("所依据的负面清单事项"), queryset=None, required=False
    )
    reply_text = forms.CharField(
        label=_("答复内容"),
        widget=TEXTAREA,
        max_length=limit("request_step", "reply_text"),
    )
    replied_on = forms.DateField(label=_("答复日期"), widget=DATE, required=False)
    reply_letter = forms.FileField(label=_("答复书（PDF）"), required=False)

    def __init__(self, *args, entries=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from negative_list.models import Entry

        self.fields["negative_list_entry"].queryset = (
            entries if entries is not None else Entry.objects.none()
        )


class WithdrawForm(OnDateForm):
    on = forms.DateField(
        label=_("收到撤回的日期"),
        widget=DATE,
        required=False,
        help_text=_("申请人撤回申请的信函、电话等到达之日；留空则为今天。"),
    )
    reason = forms.CharField(
        label=_("撤回说明"),
        widget=TEXTAREA,
        max_length=limit("request_step", "reason"),
        required=False,
    )


class ShowWhenRadioSelect(forms.RadioSelect):
    """Radio buttons whose choice shows only the fields that belong to it.

    A dependent field's widget names its choices in ``data-show-when``
    (``"decision=convert"``); ``portal/js/show_when.js`` hides and disables the
    others. Without the script every field shows; the server validates all.
    """

    class Media:
        js = [forms.widgets.Script("portal/js/show_when.js", defer=True)]


def _shown_when(decision: str, widget: forms.Widget | None = None) -> forms.Widget:
    widget = widget or forms.TextInput()
    widget.attrs["data-show-when"] = f"decision={decision}"
    return widget


class ConversionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=ConversionDecision.choices,
        widget=ShowWhenRadioSelect,
    )
    title = forms.CharField(
        label=_("主动公开信息名称"),
        max_length=limit("conversion", "title"),
        required=False,
        widget=_shown_when(ConversionDecision.CONVERT),
        help_text=_("留空则沿用申请的所需信息名称。"),
    )
    topic = forms.ModelChoiceField(
        label=_("主题分类"),
        queryset=Topic.objects.all(),
        required=False,
        widget=_shown_when(ConversionDecision.CONVERT, forms.Select()),
    )
    disclosure = forms.CharField(
        label=_("关联的索引号"),
        max_length=limit("conversion", "disclosure"),
        required=False,
        widget=_shown_when(ConversionDecision.LINK_EXISTING),
        help_text=_("本机关已公开的相同信息的索引号。"),
    )
    reason = forms.ChoiceField(
        label=_("不转理由"),
        choices=[("", "—"), *NonConversionReason.choices],
        required=False,
        widget=_shown_when(ConversionDecision.NOT_CONVERT, forms.Select()),
    )
    concerns_applicant = forms.BooleanField(
        label=_("所申请信息涉及申请人自身"),
        required=False,
        widget=_shown_when(ConversionDecision.NOT_CONVERT, forms.CheckboxInput()),
        help_text=_(
            "不转理由均为申请人本人事项：信息涉及他人或其他单位时不能选择不转。"
        ),
    )
    note = forms.CharField(
        label=_("理由说明"),
        widget=_shown_when(ConversionDecision.NOT_CONVERT, forms.Textarea({"rows": 4})),
        max_length=limit("conversion", "note"),
        required=False,
    )

    def __init__(self, *args, applicant_type: str = "", **kwargs) -> None:
        """Offer only the reasons that can apply to the request's applicant."""
        from requests_.services.conversion import reasons_for

        super().__init__(*args, **kwargs)
        if applicant_type:
            self.fields["reason"].choices = [("", "—"), *reasons_for(applicant_type)]


class ConversionAmendForm(ConversionForm):
    amendment_reason = forms.CharField(
        label=_("更正理由"),
        widget=forms.Textarea({"rows": 3}),
        max_length=limit("conversion", "amendment_reason"),
    )


class ConversionApproveForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea({"rows": 3}),
        max_length=limit("conversion", "note"),
        required=False,
    )


class ConversionReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea({"rows": 3}),
        max_length=limit("conversion", "note"),
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=AppealKind.choices)
    filed_on = forms.DateField(label=_("提起日期"), widget=DATE)
    body = forms.CharField(
        label=_("复议机关/法院"), max_length=limit("appeal", "body"), required=False
    )
    note = forms.CharField(
        label=_("说明"),
        widget=TEXTAREA,
        max_length=limit("appeal", "note"),
        required=False,
    )


class AppealDecideForm(forms.Form):
    result = forms.ChoiceField(label=_("结果"), choices=AppealResult.choices)
    decided_on = forms.DateField(label=_("审结日期"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("说明"),
        widget=TEXTAREA,
        max_length=limit("appeal", "note"),
        required=False,
    )


class DisclosureForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=limit("disclosure", "title"))
    topic = forms.ModelChoiceField(
        label=_("主题分类"),
        queryset=Topic.objects.select_related("parent"),
        required=False,
    )
    doc_no = forms.CharField(
        label=_("文号"), max_length=limit("disclosure", "doc_no"), required=False
    )
    written_on = forms.DateField(label=_("成文日期"), widget=DATE, required=False)
    summary = forms.CharField(
        label=_("内容概述"),
        widget=TEXTAREA,
        max_length=limit("disclosure", "summary"),
        required=False,
    )
    keywords = forms.CharField(
        label=_("关键词"), max_length=limit("disclosure", "keywords"), required=False
    )
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=limit("disclosure", "body"),
        required=False,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（PDF、DOCX、XLSX）"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), widget=TEXTAREA, max_length=limit("disclosure", "reason")
    )


class ApproveForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("发布时间"),
        widget=DATETIME,
        required=False,
        help_text=_("留空立即发布；填写将来的时间则届时自动公开。"),
    )


class DisclosureImportForm(AgencyFormMixin, forms.Form):
    agency = AgencyChoiceField(label=_("机构"))
    file = forms.FileField(
        label=_("文件"),
        help_text=_(
            "CSV、XLSX 或 JSON Lines；列：index_no、title、body、agency、topic、"
            "doc_no、written_on、published_on、keywords、summary。"
        ),
    )
