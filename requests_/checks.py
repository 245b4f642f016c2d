"""System checks: refuse to start with keys that cannot protect applicant data."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from requests_.crypto import keys_are_valid


@register()
def check_field_keys(app_configs, **kwargs):
    """Reject a missing GONGKAI_FIELD_KEYS or one that is not a Fernet key."""
    keys = getattr(settings, "GONGKAI_FIELD_KEYS", [])
    if keys_are_valid(list(keys)):
        return []
    return [
        Error(
            "GONGKAI_FIELD_KEYS must list one or more Fernet keys (from "
            "Fernet.generate_key()); the first encrypts applicant identity.",
            id="requests_.E001",
        )
    ]
