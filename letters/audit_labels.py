"""The letters app's audit verbs in words (see portal.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.audit_labels import register_verbs

VERBS = {
    "letter.draft": _("起草文书"),
    "letter.update": _("修改文书草稿"),
    "letter.cancel": _("删除文书草稿"),
    "letter.issue": _("签发文书"),
    "letter.void": _("作废已签发文书"),
    "letter.file_add": _("添加提供的信息文件"),
    "letter.file_remove": _("删除提供的信息文件"),
}


def register() -> None:
    register_verbs(VERBS)
