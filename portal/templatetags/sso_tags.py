"""What the sign-in page offers: the identity provider, local passwords, or both.

A tag rather than view context, so every page that renders the login template
(the lock-out answer too) shows the same choices.
"""

from django import template

from portal.sso import local_passwords_enabled, oidc_enabled

register = template.Library()


@register.simple_tag
def sso_options() -> dict:
    """Return ``{"enabled": …, "local_passwords": …}`` for the login template."""
    return {"enabled": oidc_enabled(), "local_passwords": local_passwords_enabled()}
