"""Single sign-on through the city's OpenID Connect identity provider.

mozilla-django-oidc runs the protocol (state, nonce, PKCE, the token exchange and the
ID token's signature); this package decides who may come in. A person signed in by
the provider is matched to an existing portal account by one claim
(``GONGKAI_OIDC_USERNAME_CLAIM``) and nothing else: sign-in never creates an
account, never changes one and never grants a role. Accounts and roles come from
the staff import or the coordinator.

Everything is off until ``GONGKAI_OIDC_CLIENT_ID`` is set; the portal then works
with local passwords exactly as before.
"""

from __future__ import annotations

from django.conf import settings


def oidc_enabled() -> bool:
    """Return whether sign-in through the identity provider is configured."""
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", None))


def local_passwords_enabled() -> bool:
    """Return whether staff may sign in with a portal password.

    With local passwords off only superusers may (the break-glass account for the
    day the identity provider is down).
    """
    return bool(getattr(settings, "GONGKAI_LOCAL_PASSWORDS", True))
