"""Disclosure requests (依申请公开) and the appeals against their replies."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_.models.choices import (
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    ConsultationKind,
    ConsultationResult,
    ConversionDecision,
    ExemptionCode,
    FormWanted,
    NonConversionReason,
    NoticeChannel,
    Outcome,
    RequestStatus,
)
from requests_.models.fields import EncryptedTextField

# Identity fields: encrypted at rest, shown only to the handling agency's staff,
# never snapshotted into audit events or search documents.
IDENTITY_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)


class DisclosureRequest(models.Model):
    """One request for government information, from receipt to reply and beyond.

    ``status`` changes only through ``requests_.services.workflow``. Deadlines are
    stored (``reply_due_on`` and ``correction_due_on`` with their explanations)
    and recomputed only when a clock event happens: receipt, correction received,
    extension, consultation start and end.
    """

    agency = models.ForeignKey(
        "portal.Agency",
        verbose_name=_("办理机关"),
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    # SHA-256 of the secret of the applicant's status link; the secret itself is
    # shown once and never stored.
    secret_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField(_("申请方式"), max_length=16, choices=Channel.choices)
    # None while an online submission awaits the agency's confirmation (第三十一条:
    # an online request is received on the day both sides confirm it).
    received_on = models.DateField(_("收到申请日期"), null=True, blank=True)
    submitted_on = models.DateField(_("网上提交日期"), null=True, blank=True)
    applicant_type = models.CharField(
        _("申请人类型"), max_length=20, choices=ApplicantType.choices
    )
    applicant_name = EncryptedTextField(_("申请人姓名/名称"))
    applicant_id_number = EncryptedTextField(_("身份证件号码"), blank=True)
    applicant_phone = EncryptedTextField(_("联系电话"), blank=True)
    applicant_email = EncryptedTextField(_("电子邮箱"), blank=True)
    applicant_address = EncryptedTextField(_("通信地址"), blank=True)
    # Keyed hash of the applicant's identity (requests_.fees.applicant_key): counts
    # one applicant's requests for the fee and finds repeat requests without
    # decrypting anyone. Staff-internal; never shown, exported or audited.
    applicant_key = models.CharField(max_length=64, blank=True, db_index=True)
    title = models.CharField(_("所需信息名称"), max_length=200)
    description = models.TextField(_("所需信息描述"))
    document_hint = models.CharField(_("文号等特征描述"), max_length=200, blank=True)
    form_wanted = models.CharField(
        _("获取信息方式"),
        max_length=16,
        choices=FormWanted.choices,
        default=FormWanted.ELECTRONIC,
    )
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=RequestStatus.choices,
        default=RequestStatus.RECEIVED,
        db_index=True,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # --- The clock ----------------------------------------------------------------
    clock_start = models.DateField(_("计时起点"), null=True, blank=True)
    reply_due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    reply_due_provisional = models.BooleanField(_("期限暂定"), default=False)
    reply_due_explanation = models.TextField(_("期限说明"), blank=True)
    reply_due_detail = models.JSONField(default=dict, blank=True)
    correction_due_on = models.DateField(_("补正告知期限"), null=True, blank=True)
    correction_due_explanation = models.TextField(blank=True)
    correction_due_detail = models.JSONField(default=dict, blank=True)
    correction_requested_on = models.DateField(_("补正告知日期"), null=True, blank=True)
    correction_notice = models.TextField(_("补正告知内容"), blank=True)
    correction_reply_by = models.DateField(_("申请人补正期限"), null=True, blank=True)
    correction_received_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    correction_text = models.TextField(_("补正内容"), blank=True)
    correction_lapsed_on = models.DateField(_("逾期未补正日期"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_notice = models.TextField(_("延期告知内容"), blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("延期批准人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extension_approved_on = models.DateField(null=True, blank=True)
    extension_notified_on = models.DateField(_("告知申请人日期"), null=True, blank=True)
    extension_notice_channel = models.CharField(
        _("告知方式"), max_length=16, choices=NoticeChannel.choices, blank=True
    )
    consultation_kind = models.CharField(
        _("征求意见类型"), max_length=16, choices=ConsultationKind.choices, blank=True
    )
    consultation_note = models.TextField(_("征求意见说明"), blank=True)
    consultation_party = models.CharField(_("征求意见对象"), max_length=200, blank=True)
    consultation_started_on = models.DateField(
        _("发出征求意见日期"), null=True, blank=True
    )
    consultation_due_on = models.DateField(_("征求意见期限"), null=True, blank=True)
    consultation_ended_on = models.DateField(
        _("征求意见结束日期"), null=True, blank=True
    )
    consultation_result = models.CharField(
        _("征求意见结果"),
        max_length=24,
        choices=ConsultationResult.choices,
        blank=True,
    )
    paused_on = models.DateField(_("停止计时日期"), null=True, blank=True)
    # Working days left of the term when the clock stopped; negative when the
    # request was already overdue, so a pause never erases days overdue.
    paused_remaining_days = models.SmallIntegerField(null=True, blank=True)

    # --- The outcome --------------------------------------------------------------
    outcome = models.CharField(
        _("办理结果"), max_length=32, choices=Outcome.choices, blank=True
    )
    exemption_code = models.CharField(
        _("不予公开依据类别"), max_length=24, choices=ExemptionCode.choices, blank=True
    )
    negative_list_entry = models.ForeignKey(
        "negative_list.Entry",
        verbose_name=_("所依据的负面清单事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_requests",
    )
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_text = models.TextField(_("答复内容"), blank=True)
    reply_letter = models.FileField(
        _("答复书（PDF）"), upload_to="requests/replies/%Y/", blank=True
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    withdrawn_on = models.DateField(_("撤回日期"), null=True, blank=True)

    # （五）2: the earlier request of the same applicant this one repeats.
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("重复申请所对应的原申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # --- Conversion ---------------------------------------------------------------
    conversion_decision = models.CharField(
        _("转主动公开决定"),
        max_length=16,
        choices=ConversionDecision.choices,
        blank=True,
    )
    non_conversion_reason = models.CharField(
        _("不转理由"), max_length=20, choices=NonConversionReason.choices, blank=True
    )
    non_conversion_note = models.TextField(_("不转理由说明"), blank=True)
    conversion_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    conversion_decided_on = models.DateField(null=True, blank=True)
    disclosure = models.ForeignKey(
        "requests_.Disclosure",
        verbose_name=_("主动公开信息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_requests",
    )

    class Meta:
        verbose_name = _("依申请公开申请")
        verbose_name_plural = _("依申请公开申请")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="request_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="submitted")
                | models.Q(received_on__isnull=False, clock_start__isnull=False),
                name="request_received_unless_submitted",
            ),
            models.CheckConstraint(
                condition=models.Q(extension_days__lte=20),
                name="request_extension_at_most_20",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(replied_on__isnull=False),
                name="request_outcome_has_reply_date",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "reply_due_on"])]

    def __str__(self) -> str:
        # Only the code: this string goes into audit events, and an applicant may
        # well write their own name into the title of what they ask for.
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        from requests_.models.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    @property
    def needs_conversion_decision(self) -> bool:
        from requests_.models.choices import RELEASING_OUTCOMES

        return self.outcome in RELEASING_OUTCOMES and not self.conversion_decision

    def days_left(self, today: dt.date | None = None) -> int | None:
        """Return working days left until the reply is due (negative when late)."""
        from portal.calendar import working_days_between

        if self.reply_due_on is None or not self.is_open:
            return None
        return working_days_between(today or dt.date.today(), self.reply_due_on)


class Appeal(models.Model):
    """An administrative review (行政复议) or lawsuit (行政诉讼) about a request."""

    request = models.ForeignKey(
        DisclosureRequest,
        verbose_name=_("申请"),
        on_delete=models.CASCADE,
        related_name="appeals",
    )
    kind = models.CharField(_("类型"), max_length=24, choices=AppealKind.choices)
    filed_on = models.DateField(_("提起日期"))
    body = models.CharField(_("复议机关/法院"), max_length=100, blank=True)
    result = models.CharField(
        _("结果"),
        max_length=12,
        choices=AppealResult.choices,
        default=AppealResult.PENDING,
    )
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result="pending")
                | models.Q(decided_on__isnull=False),
                name="appeal_decided_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on:%Y-%m-%d}"
