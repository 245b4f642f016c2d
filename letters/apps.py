from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    label = "letters"
    verbose_name = _("答复文书")

    def ready(self) -> None:
        from letters import audit_labels, extensions

        audit_labels.register()
        extensions.register()
