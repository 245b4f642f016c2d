from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NegativeListConfig(AppConfig):
    name = "negative_list"
    verbose_name = _("负面清单")

    def ready(self) -> None:
        from negative_list import audit_labels, extensions, jobs, public_cache

        extensions.register()
        public_cache.register()
        audit_labels.register()
        jobs.register()
