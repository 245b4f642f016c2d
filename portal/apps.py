from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from portal import (
            audit_labels,
            checks,  # noqa: F401 - registers the system checks
        )
        from portal.extensions import NavLink, register_workspace_nav
        from portal.jobs import checks as job_checks  # noqa: F401
        from portal.permissions import is_staff_member
        from portal.sso import checks as sso_checks  # noqa: F401

        register_workspace_nav(
            "jobs",
            NavLink(
                _("后台任务"), "workspace:job_list", order=90, visible=is_staff_member
            ),
        )
        audit_labels.register()
        _register_public_cache()


def _register_public_cache() -> None:
    """The shell's public pages; agencies and topics show on every one of them."""
    from django.db.models.signals import post_delete, post_save

    from portal import httpcache
    from portal.models import Agency, Topic

    httpcache.register_public(
        "home",
        "agency_index",
        "agency_public",
        "open_data",
        "sitemap",
        "sitemap_section",
    )
    httpcache.register_public_verbs("agency.")

    def changed(**kwargs) -> None:
        httpcache.changed()

    for model in (Agency, Topic):
        for signal in (post_save, post_delete):
            signal.connect(
                changed, sender=model, weak=False, dispatch_uid=f"httpcache-{model}"
            )
