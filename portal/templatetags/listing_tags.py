"""Template tags of sortable, paginated lists: one header and one pager for all."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from portal.listing import Listing

register = template.Library()


@register.inclusion_tag("portal/_sort_header.html")
def sort_header(listing: Listing, key: str, label: Any) -> dict[str, Any]:
    """Render a column header that sorts the list by ``key`` when followed.

    The current column carries ``aria-sort`` and an arrow; following its link
    again reverses the direction. The link says in words what it will do, since
    the arrow is hidden from screen readers.
    """
    state = listing.state(key)
    if state == "ascending":
        hint = _("（当前按升序排列，点击改为降序）")
    elif state == "descending":
        hint = _("（当前按降序排列，点击改为升序）")
    else:
        hint = _("（点击按此列排序）")
    return {
        "label": label,
        "state": state,
        "hint": hint,
        "href": f"?{listing.sort_query(key)}",
    }


@register.simple_tag
def page_href(listing: Listing, number: int) -> str:
    """Return the link of page ``number`` of the list, keeping sort and filters."""
    return f"?{listing.page_query(number)}"
