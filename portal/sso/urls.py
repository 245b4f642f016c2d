"""The provider's two legs, under accounts/oidc/ (always routed; 404 when off).

The names are the library's, so its settings (OIDC_AUTHENTICATION_CALLBACK_URL)
keep their defaults. Register ``<portal>/accounts/oidc/callback/`` as the client's
redirect URI at the provider.
"""

from django.urls import path

from portal.sso import views

urlpatterns = [
    path(
        "authenticate/",
        views.SSOStartView.as_view(),
        name="oidc_authentication_init",
    ),
    path(
        "callback/",
        views.SSOCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
]
