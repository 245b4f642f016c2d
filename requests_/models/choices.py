"""Enumerations of the requests app.

Outcome labels and applicant types are the annual report's (国办公开办函〔2021〕30号,
表三) verbatim, because the annual report is computed from these records.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a request arrived; decides the receipt date (第三十一条)."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    POST = "post", _("邮寄")
    FAX = "fax", _("传真")
    EMAIL = "email", _("电子邮件")


class ApplicantType(models.TextChoices):
    """The columns of 表三."""

    NATURAL_PERSON = "natural_person", _("自然人")
    BUSINESS = "business", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICES = "legal_services", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")


# 法人或其他组织: every column except 自然人.
ORGANISATION_TYPES = frozenset(ApplicantType.values) - {ApplicantType.NATURAL_PERSON}


class FormWanted(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子文档")
    OTHER = "other", _("其他")


class RequestStatus(models.TextChoices):
    # An online submission the agency has not yet confirmed: not received in the
    # sense of 第三十一条, so no clock runs and no receipt date exists.
    SUBMITTED = "submitted", _("网上提交待确认")
    RECEIVED = "received", _("已登记")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    IN_PROGRESS = "in_progress", _("办理中")
    CONSULTING = "consulting", _("征求意见中（停止计时）")
    # A fee notice is out (国办函〔2020〕109号 第六条): the clock stops until payment.
    FEE_PENDING = "fee_pending", _("待缴费（停止计时）")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    LAPSED = "lapsed", _("逾期未补正")
    WITHDRAWN = "withdrawn", _("申请人撤回")


OPEN_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.CORRECTION_REQUESTED,
    RequestStatus.IN_PROGRESS,
    RequestStatus.CONSULTING,
    RequestStatus.FEE_PENDING,
)
# Statuses in which the reply clock runs (a correction or a consultation stops it).
CLOCK_RUNNING_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class OutcomeCategory(models.TextChoices):
    """The rows （一）…（六） of 表三 “三、本年度办理结果”."""

    DISCLOSED = "disclosed", "（一）予以公开"
    PARTIAL = "partial", "（二）部分公开（区分处理的只计此项）"
    WITHHELD = "withheld", "（三）不予公开"
    UNAVAILABLE = "unavailable", "（四）无法提供"
    NOT_HANDLED = "not_handled", "（五）不予处理"
    OTHER = "other", "（六）其他处理"


class Outcome(models.TextChoices):
    """Every outcome row of 表三, sub-reasons included.

    The value is ``<category>`` or ``<category>.<reason>``; the label is the
    category label followed by the numbered sub-reason, both verbatim.
    """

    DISCLOSED = "disclosed", "（一）予以公开"
    PARTIAL = "partial", "（二）部分公开（区分处理的只计此项）"
    WITHHELD_STATE_SECRET = "withheld.state_secret", "（三）不予公开 1.属于国家秘密"
    WITHHELD_LAW_PROHIBITED = (
        "withheld.law_prohibited",
        "（三）不予公开 2.其他法律行政法规禁止公开",
    )
    WITHHELD_SECURITY_STABILITY = (
        "withheld.security_stability",
        "（三）不予公开 3.危及“三安全一稳定”",
    )
    WITHHELD_THIRD_PARTY = "withheld.third_party", "（三）不予公开 4.保护第三方合法权益"
    WITHHELD_INTERNAL_AFFAIRS = (
        "withheld.internal_affairs",
        "（三）不予公开 5.属于三类内部事务信息",
    )
    WITHHELD_PROCESS_INFO = (
        "withheld.process_info",
        "（三）不予公开 6.属于四类过程性信息",
    )
    WITHHELD_ENFORCEMENT_FILE = (
        "withheld.enforcement_file",
        "（三）不予公开 7.属于行政执法案卷",
    )
    WITHHELD_ADMINISTRATIVE_QUERY = (
        "withheld.administrative_query",
        "（三）不予公开 8.属于行政查询事项",
    )
    UNAVAILABLE_NOT_HELD = (
        "unavailable.not_held",
        "（四）无法提供 1.本机关不掌握相关政府信息",
    )
    UNAVAILABLE_NEEDS_CREATION = (
        "unavailable.needs_creation",
        "（四）无法提供 2.没有现成信息需要另行制作",
    )
    UNAVAILABLE_STILL_UNCLEAR = (
        "unavailable.still_unclear",
        "（四）无法提供 3.补正后申请内容仍不明确",
    )
    NOT_HANDLED_PETITION = (
        "not_handled.petition",
        "（五）不予处理 1.信访举报投诉类申请",
    )
    NOT_HANDLED_REPEAT = "not_handled.repeat", "（五）不予处理 2.重复申请"
    NOT_HANDLED_PUBLICATION = (
        "not_handled.publication",
        "（五）不予处理 3.要求提供公开出版物",
    )
    NOT_HANDLED_EXCESSIVE = (
        "not_handled.excessive",
        "（五）不予处理 4.无正当理由大量反复申请",
    )
    NOT_HANDLED_CONFIRMATION = (
        "not_handled.confirmation",
        "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    )
    OTHER_NO_CORRECTION = (
        "other.no_correction",
        "（六）其他处理 1.申请人无正当理由逾期不补正、"
        "行政机关不再处理其政府信息公开申请",
    )
    OTHER_FEE_UNPAID = (
        "other.fee_unpaid",
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、"
        "行政机关不再处理其政府信息公开申请",
    )
    OTHER_OTHER = "other.other", "（六）其他处理 3.其他"

    @property
    def category(self) -> OutcomeCategory:
        return OutcomeCategory(self.value.partition(".")[0])

    @property
    def reason(self) -> str:
        """Return the sub-reason part of the value ("" for （一）（二）)."""
        return self.value.partition(".")[2]

    @property
    def sub_reason_label(self) -> str:
        """Return the numbered sub-reason label alone, e.g. "1.属于国家秘密"."""
        return str(self.label).partition(" ")[2]


class ExemptionCode(models.TextChoices):
    """The legal categories of DOMAIN.md §2; 1:1 with the 不予公开 sub-reasons."""

    STATE_SECRET = "state_secret", _("国家秘密（第十四条）")
    LAW_PROHIBITED = "law_prohibited", _("法律、行政法规禁止公开（第十四条）")
    SECURITY_STABILITY = "security_stability", _("危及“三安全一稳定”（第十四条）")
    THIRD_PARTY = "third_party", _("第三方合法权益（第十五条）")
    INTERNAL_AFFAIRS = "internal_affairs", _("内部事务信息（第十六条第一款）")
    PROCESS_INFO = "process_info", _("过程性信息（第十六条第二款）")
    ENFORCEMENT_FILE = "enforcement_file", _("行政执法案卷信息（第十六条第二款）")
    ADMINISTRATIVE_QUERY = "administrative_query", _("行政查询事项")


WITHHOLDING_OUTCOMES = frozenset(
    o for o in Outcome if o.category == OutcomeCategory.WITHHELD
)
# Outcomes that release information and therefore need a conversion decision.
RELEASING_OUTCOMES = frozenset({Outcome.DISCLOSED, Outcome.PARTIAL})


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("征求第三方意见")
    AGENCY = "agency", _("征求其他机关意见")


class ConsultationResult(models.TextChoices):
    """How a consultation ended (第三十二条, 第三十四条)."""

    ANSWERED = "answered", _("已提出意见")
    # 第三十四条: another agency that does not answer in 15 working days agrees.
    CONSENT_BY_SILENCE = "consent_by_silence", _("逾期未答复，视为同意（第三十四条）")
    # 第三十二条: a third party that does not answer leaves the decision to the agency.
    NO_ANSWER = "no_answer", _("逾期未提出意见，由本机关依法决定（第三十二条）")


# The endings of a consultation whose time ran out unanswered.
RAN_OUT_RESULTS = (ConsultationResult.CONSENT_BY_SILENCE, ConsultationResult.NO_ANSWER)


class NoticeChannel(models.TextChoices):
    """How the applicant was told of a step (e.g. an extension, 第三十三条)."""

    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    PHONE = "phone", _("电话")
    IN_PERSON = "in_person", _("当面送达")
    ONLINE = "online", _("网上申请平台")


class ConversionDecision(models.TextChoices):
    CONVERT = "convert", _("转为主动公开")
    LINK_EXISTING = "link_existing", _("已有相同主动公开信息，关联之（第四十四条）")
    NOT_CONVERT = "not_convert", _("不转为主动公开")


class NonConversionReason(models.TextChoices):
    """Why released information stays with the applicant (2018 plan)."""

    TAX_FEES = "tax_fees", _("申请人本人税费缴纳信息")
    SOCIAL_SECURITY = "social_security", _("申请人本人社会保障信息")
    MEDICAL = "medical", _("申请人本人医疗卫生信息")
    REGISTRATION = "registration", _("申请人本人登记信息")
    OTHER_PERSONAL = "other_personal", _("其他申请人本人事项")


class AppealKind(models.TextChoices):
    """The columns of 表四."""

    REVIEW = "review", _("行政复议")
    LAWSUIT_DIRECT = "lawsuit_direct", _("行政诉讼（未经复议直接起诉）")
    LAWSUIT_AFTER_REVIEW = "lawsuit_after_review", _("行政诉讼（复议后起诉）")


class AppealResult(models.TextChoices):
    UPHELD = "upheld", _("维持")
    CORRECTED = "corrected", _("纠正")
    OTHER = "other", _("其他")
    PENDING = "pending", _("尚未审结")


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class DisclosureSource(models.TextChoices):
    CONVERSION = "conversion", _("依申请转主动公开")
    IMPORT = "import", _("历史栏目迁移")


class HitStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("审核人确认保留")
