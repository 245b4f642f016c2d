"""System checks for single sign-on: a half-configured provider stops start-up."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from portal.sso.discovery import ENDPOINT_KEYS

ENDPOINT_VARIABLES = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "GONGKAI_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "GONGKAI_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "GONGKAI_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "GONGKAI_OIDC_JWKS_ENDPOINT",
}


def _setting(name: str):
    return getattr(settings, name, None)


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@register()
def check_oidc(app_configs, **kwargs):
    """Reject a half-configured identity provider and local passwords with none."""
    client_id = _setting("OIDC_RP_CLIENT_ID")
    secret = _setting("OIDC_RP_CLIENT_SECRET")
    issuer = _setting("GONGKAI_OIDC_ISSUER")
    endpoints = {name: _setting(name) for name in ENDPOINT_KEYS}
    errors = []
    anything = client_id or secret or issuer or any(endpoints.values())
    if not anything:
        if not getattr(settings, "GONGKAI_LOCAL_PASSWORDS", True):
            errors.append(
                Error(
                    "GONGKAI_LOCAL_PASSWORDS is false but no identity provider is "
                    "configured: staff would have no way to sign in.",
                    hint="Configure GONGKAI_OIDC_ISSUER, GONGKAI_OIDC_CLIENT_ID and "
                    "GONGKAI_OIDC_CLIENT_SECRET, or leave local passwords on.",
                    id="portal.E041",
                )
            )
        return errors
    if not client_id or not secret:
        missing = (
            "GONGKAI_OIDC_CLIENT_SECRET" if client_id else "GONGKAI_OIDC_CLIENT_ID"
        )
        errors.append(
            Error(
                f"Single sign-on is half configured: {missing} is not set.",
                hint="Give the client id and secret registered at the identity "
                "provider, or unset every GONGKAI_OIDC_* variable.",
                id="portal.E042",
            )
        )
    for name, value in [("GONGKAI_OIDC_ISSUER", issuer)] + [
        (ENDPOINT_VARIABLES[key], value) for key, value in endpoints.items()
    ]:
        if value and not _is_url(value):
            errors.append(
                Error(
                    f"{name} is {value!r}; it must be an http(s) URL.",
                    id="portal.E043",
                )
            )
    algorithm = _setting("OIDC_RP_SIGN_ALGO") or ""
    needed = [
        key
        for key in ENDPOINT_KEYS
        if key != "OIDC_OP_JWKS_ENDPOINT" or algorithm.startswith(("RS", "ES"))
    ]
    unknown = [ENDPOINT_VARIABLES[key] for key in needed if not endpoints[key]]
    if not issuer and unknown:
        errors.append(
            Error(
                "Single sign-on has no issuer and no "
                + ", ".join(unknown)
                + ": the portal cannot find the identity provider's endpoints.",
                hint="Set GONGKAI_OIDC_ISSUER (its discovery document gives the "
                "endpoints) or every endpoint variable.",
                id="portal.E044",
            )
        )
    scopes = (_setting("OIDC_RP_SCOPES") or "").split()
    if "openid" not in scopes:
        errors.append(
            Error(
                f"GONGKAI_OIDC_SCOPES is {' '.join(scopes)!r}; it must include "
                "'openid'.",
                id="portal.E045",
            )
        )
    if not (_setting("GONGKAI_OIDC_USERNAME_CLAIM") or "").strip():
        errors.append(
            Error(
                "GONGKAI_OIDC_USERNAME_CLAIM is empty; name the claim that carries "
                "the portal user name (e.g. preferred_username).",
                id="portal.E046",
            )
        )
    if str(_setting("SESSION_COOKIE_SAMESITE")).lower() == "strict":
        errors.append(
            Error(
                "SESSION_COOKIE_SAMESITE is 'Strict': the browser coming back from "
                "the identity provider would arrive without its session, and every "
                "single sign-on would fail the state check.",
                hint="Keep Django's default, 'Lax'.",
                id="portal.E047",
            )
        )
    return errors
