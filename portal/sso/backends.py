"""Authentication backends: the identity provider's, and local passwords.

The provider proves who someone is; the portal alone decides whether that person
has an account here. The provider's backend therefore only *matches*: one claim,
compared exactly with an existing user name, of an active account. It never
creates or updates a user and never touches memberships or roles.
"""

from __future__ import annotations

import logging

import requests
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.sso import local_passwords_enabled, oidc_enabled
from portal.sso.discovery import DiscoveryError, issuer, provider_setting

logger = logging.getLogger(__name__)

NO_ACCOUNT = _(
    "统一身份认证已确认您的身份，但本平台没有与之对应的工作人员账号，无法登录。"
    "请联系政务公开办开通账号。"
)
INACTIVE_ACCOUNT = _("您在本平台的账号已停用，无法登录。如有疑问请联系政务公开办。")
MISSING_CLAIM = _("统一身份认证没有提供用户名，无法登录。请联系系统管理员检查配置。")
SIGN_IN_FAILED = _("统一身份认证登录未能完成，请重新登录。")
LOCAL_PASSWORDS_OFF = _(
    "本平台已关闭工作人员的密码登录，请使用统一身份认证登录。"
    "密码登录仅供系统管理员应急使用。"
)

_REFUSAL_ATTR = "_gongkai_sso_refusal"


def refusal(request: HttpRequest):
    """Return why the provider's sign-in was refused on this request, if known."""
    return getattr(request, _REFUSAL_ATTR, None)


def _refuse(request: HttpRequest | None, message) -> None:
    if request is not None:
        setattr(request, _REFUSAL_ATTR, message)


def username_claim() -> str:
    """Return the name of the claim that carries the portal user name."""
    return settings.GONGKAI_OIDC_USERNAME_CLAIM


class OIDCBackend(OIDCAuthenticationBackend):
    """Sign in a person the identity provider vouches for, if the portal knows them."""

    get_settings = staticmethod(provider_setting)

    def __init__(self, *args, **kwargs):
        # The library reads every endpoint when built; Django builds a backend for
        # each authenticate() and for each request's get_user(), so reading them
        # (and perhaps fetching the discovery document) waits for a real callback.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        """Exchange the callback's code and match the person; None if refused."""
        if request is None or not oidc_enabled():
            return None
        if not (request.GET.get("code") and request.GET.get("state")):
            return None
        if request.path != reverse("oidc_authentication_callback"):
            return None
        try:
            super().__init__()
            return super().authenticate(request, **kwargs)
        except (
            DiscoveryError,
            ImproperlyConfigured,
            SuspiciousOperation,
            requests.RequestException,
        ) as exc:
            logger.warning("Single sign-on failed: %s", exc)
            _refuse(request, SIGN_IN_FAILED)
            return None

    def verify_token(self, token, **kwargs):
        """Check the ID token's audience and issuer as well as its signature.

        The library checks the signature and the nonce but not ``aud`` or ``iss``.
        """
        payload = super().verify_token(token, **kwargs)
        if "nonce" not in kwargs:  # a signed userinfo answer, not the ID token
            return payload
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is not for this client")
        expected = issuer()
        if expected and str(payload.get("iss", "")).rstrip("/") != expected:
            raise SuspiciousOperation("ID token is from another issuer")
        return payload

    def verify_claims(self, claims):
        """Require the user-name claim as a non-empty string."""
        value = claims.get(username_claim())
        if isinstance(value, str) and value.strip():
            return True
        _refuse(self.request, MISSING_CLAIM)
        return False

    def filter_users_by_claims(self, claims):
        """Return the account whose user name equals the claim, exactly."""
        return self.UserModel.objects.filter(username=claims[username_claim()])

    def describe_user_by_claims(self, claims):
        return f"{username_claim()} {claims.get(username_claim())!r}"

    def get_or_create_user(self, access_token, id_token, payload):
        """Return the matched active account, or None (never create one)."""
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            if refusal(self.request) is None:
                _refuse(self.request, NO_ACCOUNT)
            logger.warning("Single sign-on refused: no portal account matches")
            return None
        if not self.user_can_authenticate(user):
            _refuse(self.request, INACTIVE_ACCOUNT)
            logger.warning("Single sign-on refused: account %s is inactive", user.pk)
            return None
        return user

    def create_user(self, claims):
        # OIDC_CREATE_USER is False; this guards against a setting flipped by
        # mistake: accounts come from the staff import, never from sign-in.
        raise SuspiciousOperation("Sign-in never creates accounts")

    def update_user(self, user, claims):
        # The provider's claims never change the account (name, e-mail, rights).
        return user

    def get_user(self, user_id):
        # ModelBackend's, which drops the session of a deactivated account; the
        # library's returns any user.
        return ModelBackend.get_user(self, user_id)


class LocalPasswordBackend(ModelBackend):
    """Django's password backend, for superusers only when local passwords are off."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username, password, **kwargs)
        if user is None or local_passwords_enabled() or user.is_superuser:
            return user
        return None
