"""The requests app's audit verbs and event keys in words (see portal.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.audit_labels import (
    KeyLabel,
    choices_formatter,
    register_field_models,
    register_keys,
    register_verbs,
)

VERBS = {
    "request.register": _("登记申请"),
    "request.confirm": _("确认收到网上申请"),
    "request.accept": _("受理申请"),
    "request.request_correction": _("发出补正通知"),
    "request.receive_correction": _("收到补正材料"),
    "request.lapse": _("补正逾期，视为放弃申请"),
    "request.extend": _("延长答复期限"),
    "request.pause": _("暂停计算答复期限"),
    "request.resume": _("恢复计算答复期限"),
    "request.run_out": _("征求意见期限届满未答复，恢复计时"),
    "request.reply": _("作出答复"),
    "request.close": _("办结"),
    "request.withdraw": _("申请人撤回申请"),
    "request.appeal_record": _("登记行政复议或诉讼"),
    "request.appeal_decide": _("登记复议或诉讼结果"),
    "request.conversion_decide": _("作出转主动公开决定"),
    "request.fee_notify": _("发出收费通知"),
    "request.fee_pay": _("登记缴费"),
    "request.fee_waive": _("减免收费"),
    "request.fee_lapse": _("逾期未缴费"),
    "request.mark_repeat": _("关联重复申请的原申请"),
    "request.conversion_propose": _("提出不转为主动公开的建议"),
    "request.conversion_approve": _("批准不转为主动公开"),
    "request.conversion_return": _("退回不转为主动公开的建议"),
    "request.conversion_amend": _("更正转主动公开决定"),
    "disclosure.create": _("起草主动公开信息"),
    "disclosure.update": _("修改主动公开信息"),
    "disclosure.attachment_add": _("添加附件"),
    "disclosure.attachment_remove": _("删除附件"),
    "disclosure.submit": _("提交审核"),
    "disclosure.return": _("退回修改"),
    "disclosure.approve": _("审核通过"),
    "disclosure.withdraw": _("撤回已公开信息"),
    "disclosure.import": _("导入并发布"),
    "disclosure.screen_mask": _("遮盖个人信息"),
    "disclosure.screen_accept": _("保留筛查命中的内容"),
}


def _location(value: object) -> str:
    from requests_.projection import location_label

    return location_label(str(value))


def register() -> None:
    """Register the verbs, and the keys events carry beside model fields."""
    from requests_.screening import HIT_LABELS

    register_verbs(VERBS)
    # A request's appeal events carry the appeal's fields.
    register_field_models("requests_.disclosurerequest", "requests_.appeal")
    register_keys(
        "requests_.disclosure",
        {
            "kind": KeyLabel(_("个人信息类型"), choices_formatter(HIT_LABELS.items())),
            "location": KeyLabel(_("位置"), _location),
        },
    )
    register_keys(
        "requests_.disclosurerequest",
        {"paused_remaining_days": KeyLabel(_("停止计时时剩余工作日"))},
    )
    register_conversion_keys()


def register_conversion_keys() -> None:
    """Label the keys a request's conversion events carry (see services.conversion)."""
    from requests_.models import (
        ConversionDecision,
        ConversionReviewStatus,
        NonConversionReason,
    )

    register_keys(
        "requests_.disclosurerequest",
        {
            "conversion_review": KeyLabel(_("决定记录编号")),
            "proposed_decision": KeyLabel(
                _("提出的决定"), choices_formatter(ConversionDecision.choices)
            ),
            "proposed_reason": KeyLabel(
                _("提出的不转理由"), choices_formatter(NonConversionReason.choices)
            ),
            "review_status": KeyLabel(
                _("审核状态"), choices_formatter(ConversionReviewStatus.choices)
            ),
            "detached_disclosure": KeyLabel(_("不再关联的主动公开信息")),
        },
    )
