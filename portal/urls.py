"""The project's URLs: the public site, the workspace, the API, the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal import api, api_docs, health, import_views, public, views
from portal.sso import views as sso_views

workspace_patterns = (
    [
        path("", views.dashboard, name="dashboard"),
        path("agencies/", views.agency_list, name="agency_list"),
        path("agencies/new/", views.agency_create, name="agency_create"),
        path("agencies/import/", import_views.agency_import, name="agency_import"),
        path(
            "agencies/import/template.xlsx",
            import_views.agency_import_template,
            name="agency_import_template",
        ),
        path("staff/import/", import_views.staff_import_page, name="staff_import"),
        path(
            "staff/import/template.xlsx",
            import_views.staff_import_template,
            name="staff_import_template",
        ),
        path("agencies/<str:code>/", views.agency_detail, name="agency_detail"),
        path("agencies/<str:code>/edit/", views.agency_edit, name="agency_edit"),
        path(
            "agencies/<str:code>/roles/",
            views.membership_grant,
            name="membership_grant",
        ),
        path("agencies/<str:code>/users/new/", views.user_create, name="user_create"),
        path(
            "roles/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"
        ),
        path("calendar/", views.calendar, name="calendar"),
        path(
            "calendar/<int:pk>/delete/",
            views.calendar_override_delete,
            name="calendar_override_delete",
        ),
        path("", include("portal.jobs.urls")),
    ],
    "workspace",
)

api_patterns = (
    [
        path("me/", api.MeApi.as_view(), name="me"),
        path("agencies/", api.AgencyListApi.as_view(), name="agency_list"),
        path("agencies/create/", api.AgencyCreateApi.as_view(), name="agency_create"),
        path(
            "agencies/<str:code>/", api.AgencyDetailApi.as_view(), name="agency_detail"
        ),
        path(
            "agencies/<str:code>/update/",
            api.AgencyUpdateApi.as_view(),
            name="agency_update",
        ),
        path("memberships/", api.MembershipListApi.as_view(), name="membership_list"),
        path(
            "memberships/grant/",
            api.MembershipGrantApi.as_view(),
            name="membership_grant",
        ),
        path(
            "memberships/<int:pk>/revoke/",
            api.MembershipRevokeApi.as_view(),
            name="membership_revoke",
        ),
        path("calendar/deadline/", api.DeadlineApi.as_view(), name="calendar_deadline"),
        path(
            "calendar/overrides/",
            api.CalendarOverrideListApi.as_view(),
            name="calendar_overrides",
        ),
        path(
            "calendar/overrides/set/",
            api.CalendarOverrideSetApi.as_view(),
            name="calendar_override_set",
        ),
        path(
            "calendar/overrides/<int:pk>/delete/",
            api.CalendarOverrideDeleteApi.as_view(),
            name="calendar_override_delete",
        ),
    ],
    "api",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", public.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon),
    path("sitemap.xml", public.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", public.sitemap_section, name="sitemap_section"),
    path("agencies/", public.agency_index, name="agency_index"),
    path("agencies/<str:code>/", public.agency_public, name="agency_public"),
    path("open-data/", public.open_data, name="open_data"),
    path("api/schema/", api_docs.SchemaView.as_view(), name="api_schema"),
    path("api/docs/", api_docs.api_docs, name="api_docs"),
    path("healthz", health.healthz, name="healthz"),
    # The language switch in every page's header carries no CSRF token, so public
    # pages can be shared by the page cache (portal.httpcache); a forged request
    # could only change the visitor's language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/login/", sso_views.LoginView.as_view(), name="login"),
    path("accounts/oidc/", include("portal.sso.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The link mailed to imported staff to set their first password
    # (portal.imports.password_links); Django's one-time reset token.
    path(
        "accounts/password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("workspace/", include(workspace_patterns)),
    path("api/v1/", include(api_patterns)),
    path("", include("negative_list.urls")),
    path("", include("requests_.urls")),
    path("", include("letters.urls")),
    path("", include("messaging.urls")),
    path("", include("requests_.urls_reports")),
    path("", include("requests_.urls_usage")),
    path("", include("search.urls")),
    path("", include("search.urls_feeds")),
    path("admin/", admin.site.urls),
]

handler404 = "portal.api_errors.page_not_found"
handler400 = "portal.error_pages.bad_request"
handler403 = "portal.error_pages.permission_denied"
handler500 = "portal.error_pages.server_error"
