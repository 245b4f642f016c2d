"""Upper bounds of every free-text input, in one table.

A text with no bound reached the database whole (a two-million-character request
description was accepted) and every screen, index and export after it. Each
entity's texts have one limit here; the forms (``max_length``, rendered as the
``maxlength`` attribute), the API serializers (``max_length``, so the schema's
``maxLength``) and the services (``check_lengths``, so every path: page, API,
import, management command) read the same number. A text past its limit is a
``DomainError`` naming the field, never a silent truncation.

Limits of texts stored in a ``CharField`` equal the column's ``max_length``; the
``TextField`` ones are what a careful writer needs, with room to spare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.calendar import DATE_OUT_OF_RANGE
from portal.errors import DomainError

TEXT_TOO_LONG = _("内容过长：最多 %(limit)d 个字符，现有 %(length)d 个。")

# The kinds of text, by what a careful writer needs.
NOTE = 2000  # a reason, a note, a short explanation
TEXT = 20000  # a letter, a scope, an interpretation section
DOCUMENT = 200000  # the full text of a published document

TEXT_LIMITS: dict[str, dict[str, int]] = {
    # A disclosure request as the applicant (or the registering staff) gives it.
    "request": {
        "applicant_name": 100,
        "applicant_id_number": 40,
        "applicant_phone": 30,
        "applicant_email": 254,
        "applicant_address": 200,
        "title": 200,
        "description": 10000,
        "document_hint": 200,
    },
    # A letter (答复文书) of a request: its words, whom it goes to, why it was voided.
    "letter": {"body": TEXT, "addressee": 200, "void_reason": NOTE},
    # The written steps of handling a request (service keyword names).
    "request_step": {
        "notice": TEXT,
        "text": 10000,
        "reason": NOTE,
        "applicant_notice": TEXT,
        "note": NOTE,
        "reply_text": TEXT,
        # The consulted third party or agency (the model's max_length).
        "party": 200,
    },
    # A fee notice (国办函〔2020〕109号): how to pay, a waiver's reason, the receipt.
    "fee": {"how_to_pay": NOTE, "reason": NOTE, "receipt_number": 64},
    "conversion": {
        "note": NOTE,
        "amendment_reason": NOTE,
        "disclosure": 64,
        "title": 200,
    },
    "appeal": {"body": 100, "note": NOTE},
    "disclosure": {
        "title": 200,
        "doc_no": 100,
        "summary": NOTE,
        "keywords": 200,
        "body": DOCUMENT,
        "reason": NOTE,
    },
    "screening": {"reason": NOTE},
    # An entry's wording, and the notes of its review steps.
    "entry": {
        "title": 200,
        "scope": TEXT,
        "responsible_unit": 100,
        "notes": TEXT,
        "basis_note": 300,
        "note": NOTE,
        "reason": NOTE,
        "change_note": NOTE,
    },
    "interpretation": {
        "review_basis": TEXT,
        "adjustment_standards": TEXT,
        "operating_procedure": TEXT,
    },
    "list_version": {"note": NOTE},
    "provision": {"law": 100, "article": 40, "text": TEXT},
    "review_cycle": {"title": 100},
    "review_task": {"reasons": NOTE},
    "agency": {
        "code": 32,
        "name": 100,
        "short_name": 40,
        "doc_no_prefix": 40,
        "review_body": 100,
        "court": 100,
    },
    "user": {"username": 150, "full_name": 150, "email": 254, "password": 128},
    "membership": {"username": 150},
    "calendar_override": {"note": 100},
}


def limit(entity: str, field: str) -> int:
    """Return the limit of ``field`` of ``entity`` (KeyError if there is none)."""
    return TEXT_LIMITS[entity][field]


def check_lengths(
    entity: str, values: Mapping[str, Any] | object | None = None, /, **texts: Any
) -> None:
    """Refuse any text of ``entity`` longer than its limit, naming the field.

    ``values`` is a mapping (a form's or a serializer's data, a service's keyword
    arguments) or an object whose attributes carry the texts (a content
    dataclass); keyword arguments add more. Names without a limit are not texts
    and pass unchecked, so whole keyword sets can be handed over.
    """
    limits = TEXT_LIMITS[entity]
    items: dict[str, Any] = {}
    if isinstance(values, Mapping):
        items.update(values)
    elif values is not None:
        items.update({name: getattr(values, name, None) for name in limits})
    items.update(texts)
    for name, text in items.items():
        bound = limits.get(name)
        if bound is not None and isinstance(text, str) and len(text) > bound:
            raise DomainError(
                TEXT_TOO_LONG % {"limit": bound, "length": len(text)},
                code="too_long",
                field=name,
            )


def check_date_bounds(
    first: dt.date, last: dt.date, /, **dates: dt.date | None
) -> None:
    """Refuse any date outside [first, last], naming the field."""
    for name, day in dates.items():
        if day is not None and not first <= day <= last:
            message = DATE_OUT_OF_RANGE % {
                "first": first.isoformat(),
                "last": last.isoformat(),
            }
            raise DomainError(message, code="date_out_of_range", field=name)


def api_text(entity: str, field: str, *, required: bool = True) -> Any:
    """Return a DRF ``CharField`` bounded by the table (the schema's maxLength).

    An optional text may be blank and defaults to "", as the services expect.
    """
    from rest_framework import serializers

    if required:
        return serializers.CharField(max_length=limit(entity, field))
    return serializers.CharField(
        max_length=limit(entity, field), required=False, allow_blank=True, default=""
    )
