"""The messaging app's audit verbs and event keys in words (portal.audit_labels).

Its events sit on the request a message belongs to and carry the message's
kind, number, attempts and error, never its address or body.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from messaging.models import MessageKind
from portal.audit_labels import (
    KeyLabel,
    choices_formatter,
    register_keys,
    register_verbs,
)

VERBS = {
    "message.sent": _("邮件已发送"),
    "message.failed": _("邮件发送失败"),
    "message.retry": _("重新发送邮件"),
}

KEYS = {
    "kind": KeyLabel(_("邮件类别"), choices_formatter(MessageKind.choices)),
    "message": KeyLabel(_("邮件编号")),
    "attempts": KeyLabel(_("尝试次数")),
    "last_error": KeyLabel(_("最近错误")),
}


def register() -> None:
    register_verbs(VERBS)
    register_keys("requests_.disclosurerequest", KEYS)
