from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    label = "messaging"
    verbose_name = _("消息")

    def ready(self) -> None:
        from messaging import (
            audit_labels,
            checks,  # noqa: F401 - registers the system checks
            extensions,
        )

        audit_labels.register()
        extensions.register()
