"""The sign-in page and the two legs of the provider's sign-in."""

from __future__ import annotations

import logging

from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import redirect

from portal.sso import local_passwords_enabled, oidc_enabled
from portal.sso.backends import LOCAL_PASSWORDS_OFF, SIGN_IN_FAILED, refusal
from portal.sso.discovery import DiscoveryError, provider_setting

logger = logging.getLogger(__name__)


class LoginForm(AuthenticationForm):
    """The password form; with local passwords off it says why a staff login fails.

    The same message answers every failure then (wrong password or a staff
    account), so the form does not tell which user names exist.
    """

    def get_invalid_login_error(self):
        if local_passwords_enabled():
            return super().get_invalid_login_error()
        return ValidationError(LOCAL_PASSWORDS_OFF, code="local_passwords_off")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class SSOStartView(OIDCAuthenticationRequestView):
    """Send the browser to the provider (state, nonce and PKCE by the library)."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, *args, **kwargs):
        # The library reads the endpoint when the view is built; wait for get().
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_setting(
                "OIDC_OP_AUTHORIZATION_ENDPOINT"
            )
        except DiscoveryError as exc:
            logger.warning("Single sign-on unavailable: %s", exc)
            messages.error(request, SIGN_IN_FAILED)
            return redirect(settings.LOGIN_URL)
        self.OIDC_RP_CLIENT_ID = provider_setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """Receive the provider's answer; on refusal say why on the login page."""

    get_settings = staticmethod(provider_setting)

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            # A state this browser never asked for (a replayed or forged answer).
            logger.warning("Single sign-on refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, refusal(self.request) or SIGN_IN_FAILED)
        return redirect(settings.LOGIN_URL)
