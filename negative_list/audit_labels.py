"""The negative-list app's audit verbs and event keys in words."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.audit_labels import (
    KeyLabel,
    register_field_models,
    register_keys,
    register_verbs,
)

# Entry verbs are "negative_list.entry." + the step (services.entries._record).
VERBS = {
    "negative_list.entry.create": _("起草清单事项"),
    "negative_list.entry.import": _("导入清单事项"),
    "negative_list.entry.update": _("修改清单事项"),
    "negative_list.entry.submit": _("提交合法性审核"),
    "negative_list.entry.approve": _("合法性审核通过"),
    "negative_list.entry.return": _("退回修改"),
    "negative_list.entry.amend": _("修订清单事项"),
    "negative_list.entry.publish": _("随清单版本发布"),
    "negative_list.entry.retire": _("取消清单事项"),
    "negative_list.provision.save": _("保存法律政策依据条款"),
    "negative_list.interpretation.update": _("修改清单解读"),
    "negative_list.list_version.publish": _("发布清单新版本"),
    "negative_list.review_cycle.open": _("启动定期评估"),
    "negative_list.review_cycle.close": _("结束定期评估"),
    "negative_list.review_task.record": _("记录评估结论"),
}


def register() -> None:
    """Register the verbs, and the keys events carry beside model fields."""
    register_verbs(VERBS)
    # An entry's events carry the content of its version.
    register_field_models("negative_list.entry", "negative_list.entryversion")
    register_keys(
        "negative_list.listversion",
        {
            "added": KeyLabel(_("新增事项")),
            "retired": KeyLabel(_("取消事项")),
            "amended": KeyLabel(_("修订事项")),
            "kept": KeyLabel(_("保留事项数")),
            "text": KeyLabel(_("变化摘要")),
        },
    )
    register_keys(
        "negative_list.reviewcycle",
        {
            "tasks": KeyLabel(_("评估任务数")),
            "versions": KeyLabel(_("据此发布的清单版本")),
        },
    )
    register_keys(
        "negative_list.provision",
        {"exemptions": KeyLabel(_("对应的不予公开情形"))},
    )
