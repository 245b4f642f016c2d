"""The core's shell and the search app's URLs, without the publishing apps.

``portal.urls`` includes every app's URLs, so the search-only settings need a
URLconf of their own: the names the base template links to, the health
endpoint, the API schema, and search.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import api_docs, health, public, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", public.sitemap_index, name="sitemap"),
    path("agencies/", public.agency_index, name="agency_index"),
    path("open-data/", public.open_data, name="open_data"),
    path("api/schema/", api_docs.SchemaView.as_view(), name="api_schema"),
    path("api/docs/", api_docs.api_docs, name="api_docs"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "workspace/",
        include(([path("", views.dashboard, name="dashboard")], "workspace")),
    ),
    path("", include("search.urls")),
    path("", include("search.urls_feeds")),
]
