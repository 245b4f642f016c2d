"""Refuse to run a deployment whose e-mail goes nowhere.

The SMTP backend with no ``EMAIL_HOST`` (production leaves it empty unless
``DJANGO_EMAIL_HOST`` is set) would queue every reply letter and digest towards a
relay that is not there; applicants would not hear while staff believe they had.
Nothing would be lost, since the outbox keeps them, but a silent failure of the
portal's statutory notices is worse than a deployment that does not start: so it
is an error, not a warning. A deployment that deliberately sends no mail names
another backend (``DJANGO_EMAIL_BACKEND``), e.g. the file backend.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext_lazy as _

from messaging.sending import DELIVERY_MODES
from portal.checks import unknown_choice

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
NO_EMAIL_HOST_ID = "messaging.E001"
BAD_DELIVERY_ID = "messaging.E002"


@register()
def check_email_host(app_configs, **kwargs):
    """The SMTP backend needs DJANGO_EMAIL_HOST."""
    if settings.EMAIL_BACKEND != SMTP_BACKEND or settings.EMAIL_HOST:
        return []
    return [
        Error(
            _("邮件发送使用 SMTP，但没有设置 DJANGO_EMAIL_HOST。"),
            hint=_(
                "设置 DJANGO_EMAIL_HOST（及端口、账号、TLS、发件人），"
                "或用 DJANGO_EMAIL_BACKEND 指定其他邮件后端。"
            ),
            id=NO_EMAIL_HOST_ID,
        )
    ]


@register()
def check_delivery_mode(app_configs, **kwargs):
    """GONGKAI_MESSAGES_DELIVERY must be one of the known modes."""
    value = getattr(settings, "GONGKAI_MESSAGES_DELIVERY", "thread")
    return unknown_choice(
        "GONGKAI_MESSAGES_DELIVERY", value, DELIVERY_MODES, id=BAD_DELIVERY_ID
    )
