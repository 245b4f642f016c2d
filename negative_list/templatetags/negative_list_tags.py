"""Template helpers of the negative-list workspace."""

from __future__ import annotations

from django import template

from negative_list import permissions

register = template.Library()


@register.simple_tag
def negative_list_rights(user: object) -> dict[str, bool]:
    """Return which workspace sections ``user`` may use, for the sub-navigation."""
    return {
        "draft": permissions.draftable_agencies_qs(user).exists(),
        "manage_provisions": permissions.can_manage_provisions(user),
    }
