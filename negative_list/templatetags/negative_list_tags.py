"""Template helpers of the negative-list workspace."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from negative_list import permissions
from negative_list.services.lists import sanitize_html

register = template.Library()


@register.simple_tag
def negative_list_rights(user: object) -> dict[str, bool]:
    """Return which workspace sections ``user`` may use, for the sub-navigation."""
    return {
        "draft": permissions.draftable_agencies_qs(user).exists(),
        "manage_provisions": permissions.can_manage_provisions(user),
    }


@register.filter
def rich_text(html: str) -> str:
    """Render stored rich text, cleaned again on the way out.

    The service cleans it on input; cleaning on output too means a row written by
    another road (an import, the admin, an old version) can never carry script.
    """
    return mark_safe(sanitize_html(str(html or "")))  # noqa: S308 - cleaned by nh3
