"""The letters app's audit verbs in words (see portal.audit_labels)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.audit_labels import (
    KeyLabel,
    choices_formatter,
    register_keys,
    register_verbs,
)

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
    """Register the verbs, and the keys the request's letter events carry."""
    from letters.models import LetterKind, LetterStatus

    register_verbs(VERBS)
    register_keys(
        "requests_.disclosurerequest",
        {
            "letter": KeyLabel(_("文书编号（内部）")),
            "letter_kind": KeyLabel(
                _("文书类型"), choices_formatter(LetterKind.choices)
            ),
            "letter_status": KeyLabel(
                _("文书状态"), choices_formatter(LetterStatus.choices)
            ),
            "number": KeyLabel(_("文号")),
            "released_file": KeyLabel(_("提供的信息文件（内部编号）")),
            "size": KeyLabel(_("文件大小（字节）")),
        },
    )
