"""Output serializers of the staff API for requests and disclosures.

Each response body goes through one of these, so ``/api/schema/`` documents it
field by field. They read the dictionaries ``request_data`` and
``staff_disclosure_data`` build (which decide what a reader may see); the
serializer only shapes and documents them.
"""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from requests_.models import IDENTITY_FIELDS


class UtcDateTimeField(serializers.DateTimeField):
    """A date-time written in UTC (``…Z``), as the API always wrote them."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(default_timezone=dt.UTC, **kwargs)


class DeadlineOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField()
    explanation = serializers.CharField()
    detail = serializers.DictField(help_text="计算依据（计入的工作日、跳过的节假日）")


class AppealOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    filed_on = serializers.DateField()
    result = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)


class SuggestedDisclosureOutput(serializers.Serializer):
    index_no = serializers.CharField()
    title = serializers.CharField()
    score = serializers.FloatField()


ApplicantOutput = type(
    "ApplicantOutput",
    (serializers.Serializer,),
    {name: serializers.CharField() for name in IDENTITY_FIELDS},
)


class ConversionReviewOutput(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.CharField()
    reason = serializers.CharField(allow_null=True)
    note = serializers.CharField()
    status = serializers.CharField(
        help_text="in_force / pending / approved / returned / replaced"
    )
    proposed_by = serializers.CharField(allow_null=True)
    proposed_on = serializers.DateField()
    reviewed_by = serializers.CharField(allow_null=True)
    reviewed_on = serializers.DateField(allow_null=True)
    review_note = serializers.CharField()
    amends = serializers.IntegerField(allow_null=True, help_text="被更正的决定记录")
    amendment_reason = serializers.CharField()


class ConsultationOutput(serializers.Serializer):
    kind = serializers.CharField(
        help_text="third_party（第三十二条）/ agency（第三十四条）"
    )
    party = serializers.CharField(help_text="征求意见对象")
    started_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True, help_text="15 个工作日届满之日")
    ended_on = serializers.DateField(allow_null=True)
    result = serializers.CharField(
        allow_null=True, help_text="answered / consent_by_silence / no_answer"
    )


class RequestOutput(serializers.Serializer):
    """A request as its reader may see it (``applicant`` only when readable)."""

    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    agency = serializers.CharField(help_text="机构代码")
    channel = serializers.CharField()
    received_on = serializers.DateField(
        allow_null=True, help_text="网上申请在机关确认前为空（第三十一条）"
    )
    submitted_on = serializers.DateField(allow_null=True, help_text="网上提交日期")
    applicant_type = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    document_hint = serializers.CharField()
    form_wanted = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    handler = serializers.CharField(allow_null=True)
    deadlines = DeadlineOutput(many=True)
    days_left = serializers.IntegerField(allow_null=True)
    overdue_days = serializers.IntegerField(
        help_text="实际已用工作日超出期限的天数；征求意见期间不计，但不抵消已超期天数"
    )
    correction_requested_on = serializers.DateField(allow_null=True)
    correction_reply_by = serializers.DateField(allow_null=True)
    correction_received_on = serializers.DateField(allow_null=True)
    correction_lapsed_on = serializers.DateField(allow_null=True)
    extension_days = serializers.IntegerField()
    extension_approved_on = serializers.DateField(allow_null=True)
    extension_notified_on = serializers.DateField(allow_null=True)
    extension_notice_channel = serializers.CharField(allow_null=True)
    consultation = ConsultationOutput(allow_null=True)
    withdrawn_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    outcome_label = serializers.CharField(allow_null=True)
    exemption_code = serializers.CharField(allow_null=True)
    negative_list_entry = serializers.IntegerField(allow_null=True)
    replied_on = serializers.DateField(allow_null=True)
    reply_text = serializers.CharField()
    has_reply_letter = serializers.BooleanField()
    conversion_decision = serializers.CharField(allow_null=True)
    non_conversion_reason = serializers.CharField(allow_null=True)
    disclosure = serializers.CharField(allow_null=True, help_text="索引号")
    conversion_reviews = ConversionReviewOutput(
        many=True, help_text="转主动公开决定、不转建议的审核和更正，按时间先后"
    )
    appeals = AppealOutput(many=True)
    available_actions = serializers.ListField(child=serializers.CharField())
    suggested_disclosures = SuggestedDisclosureOutput(many=True)
    applicant = ApplicantOutput(
        required=False, help_text="本机构编辑、审核人员见全文，其他人见遮蔽后的"
    )
    applicant_masked = serializers.BooleanField(required=False)


class RequestCreatedOutput(RequestOutput):
    status_secret = serializers.CharField(help_text="查询密钥，仅在登记时返回一次")


class RequestRowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    tracking_code = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    title = serializers.CharField()
    status = serializers.CharField()
    received_on = serializers.DateField(allow_null=True)
    reply_due_on = serializers.DateField(allow_null=True)
    reply_due_provisional = serializers.BooleanField()


class StaffAttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()


class HitContextOutput(serializers.Serializer):
    before = serializers.CharField()
    match = serializers.CharField()
    after = serializers.CharField()


class ScreeningHitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    location = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()
    context = HitContextOutput(help_text="命中处前后的文字，取自当前文本")


class PublicationDeadlineOutput(serializers.Serializer):
    due = serializers.DateField()
    provisional = serializers.BooleanField()
    explanation = serializers.CharField()


class StaffDisclosureOutput(serializers.Serializer):
    """A disclosure as staff see it: content, attachments, the screen, actions."""

    id = serializers.IntegerField()
    index_no = serializers.CharField()
    agency = serializers.CharField(help_text="机构代码")
    status = serializers.CharField()
    title = serializers.CharField()
    topic = serializers.CharField(allow_null=True, help_text="主题分类代码")
    doc_no = serializers.CharField()
    written_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField()
    keywords = serializers.CharField()
    body = serializers.CharField()
    publish_at = UtcDateTimeField(allow_null=True)
    is_public = serializers.BooleanField()
    withdrawn_reason = serializers.CharField()
    return_reason = serializers.CharField()
    attachments = StaffAttachmentOutput(many=True)
    screening = ScreeningHitOutput(many=True)
    available_actions = serializers.ListField(child=serializers.CharField())
    publication_deadline = PublicationDeadlineOutput(allow_null=True)


class StaffDisclosureRowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    index_no = serializers.CharField()
    title = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    status = serializers.CharField()
    publish_at = UtcDateTimeField(allow_null=True)
