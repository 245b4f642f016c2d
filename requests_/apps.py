from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    name = "requests_"
    label = "requests_"
    verbose_name = _("依申请公开")

    def ready(self) -> None:
        from requests_ import (
            audit_labels,
            checks,  # noqa: F401 - registers the system checks
            extensions,
            public_cache,
        )

        extensions.register()
        audit_labels.register()
        public_cache.register()

        from requests_ import jobs

        jobs.register()

        from requests_ import usage_views

        usage_views.register()
