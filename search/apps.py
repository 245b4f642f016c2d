from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("检索")

    def ready(self) -> None:
        """Join the core: navigation, home page, health probe and system checks."""
        from django.core.checks import register

        from portal.extensions import (
            NavLink,
            Section,
            register_home_section,
            register_public_nav,
        )

        register_public_nav(
            "search_column",
            NavLink(_("依申请转主动公开专栏"), "search:column", order=10),
        )
        register_home_section(
            Section("search_box", "search/_home_section.html", _home_context, order=5)
        )

        from django.db.models.signals import post_delete, post_save

        from portal.models import Agency, Topic
        from search.selectors import forget_labels

        for model in (Agency, Topic):
            post_save.connect(
                forget_labels, sender=model, dispatch_uid=f"search-{model}"
            )
            post_delete.connect(
                forget_labels, sender=model, dispatch_uid=f"search-del-{model}"
            )
        from search import (
            jobs,
            openapi,  # noqa: F401 - documents the search API
        )

        jobs.register()

        from portal import httpcache

        httpcache.register_public("search:column", "search_feed")
        httpcache.register_public("search:api_column", api=True)

        from portal.health import register_probe
        from search.checks import check_search_engine
        from search.health import engine_ok

        register_probe("search", engine_ok)
        register(check_search_engine)


def _home_context(request) -> dict:
    """The home page's search box needs nothing but its template."""
    return {}
