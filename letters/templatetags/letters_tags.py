"""The letters' blocks on pages of the requests app (its status and workspace pages).

The requests app's templates load these tags instead of its views importing this
app: the arrow stays letters → requests_.
"""

from __future__ import annotations

from typing import Any

from django import template

from letters import forms, permissions, selectors
from letters.models import LetterKind, LetterStatus

register = template.Library()


@register.inclusion_tag("letters/_applicant.html")
def applicant_letters(item: Any, secret: str) -> dict[str, Any]:
    """The issued letters and released files, for the applicant's status page."""
    disclosure = item.disclosure
    published = disclosure is not None and disclosure.status == "published"
    return {
        "item": item,
        "secret": secret,
        "letters": list(selectors.applicant_letters(item)),
        "files": list(selectors.applicant_files(item)),
        "published": disclosure if published else None,
    }


@register.inclusion_tag("letters/_workspace.html", takes_context=True)
def request_letters(context: dict[str, Any], item: Any) -> dict[str, Any]:
    """The request's letters and released files on its workspace page."""
    user = context["request"].user
    can_draft = permissions.can_draft_letter(user, item)
    return {
        "item": item,
        "letters": list(selectors.letters_of(user, item)),
        "files": selectors.staff_files(user, item),
        "can_draft": can_draft,
        "draft_form": forms.DraftForm() if can_draft else None,
        "file_form": forms.ReleasedFileForm() if can_draft else None,
        "issued": LetterStatus.ISSUED,
        "kinds": LetterKind,
        "csrf_token": context.get("csrf_token"),
    }
