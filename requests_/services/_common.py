"""Pieces every service of the app shares."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from portal import audit
from portal.errors import DomainError, remember_seen_status
from requests_.models import Disclosure, DisclosureRequest

# What an audit event may show about a request: workflow facts, never identity,
# never free text the applicant wrote.
REQUEST_AUDIT_FIELDS = (
    "status",
    "handler",
    "clock_start",
    "reply_due_on",
    "reply_due_provisional",
    "correction_due_on",
    "correction_reply_by",
    "correction_received_on",
    "extension_days",
    "paused_on",
    "paused_remaining_days",
    "consultation_kind",
    "outcome",
    "exemption_code",
    "negative_list_entry",
    "replied_on",
    "closed_on",
    "withdrawn_on",
    "conversion_decision",
    "non_conversion_reason",
    "disclosure",
)
DISCLOSURE_AUDIT_FIELDS = (
    "status",
    "index_no",
    "title",
    "topic",
    "doc_no",
    "written_on",
    "keywords",
    "is_valid",
    "publish_at",
    "approved_by",
    "withdrawn_at",
)


def today() -> dt.date:
    return timezone.localdate()


def lock_request(request: DisclosureRequest) -> DisclosureRequest:
    """Re-read the request under a row lock for the rest of the transaction."""
    locked = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    remember_seen_status(locked, request)
    return locked


def lock_disclosure(disclosure: Disclosure) -> Disclosure:
    """Re-read the disclosure under a row lock for the rest of the transaction."""
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    remember_seen_status(locked, disclosure)
    return locked


def request_snapshot(request: DisclosureRequest) -> dict[str, Any]:
    return audit.snapshot(request, REQUEST_AUDIT_FIELDS)


def record_request(
    *,
    actor: Any,
    verb: str,
    request: DisclosureRequest,
    before: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Append an event about ``request`` with the changed workflow fields only."""
    old, new = audit.changed(before or {}, request_snapshot(request))
    audit.record(
        actor=actor,
        verb=verb,
        obj=request,
        agency=request.agency,
        before=old,
        after=new,
        note=note,
    )


def record_disclosure(
    *,
    actor: Any,
    verb: str,
    disclosure: Disclosure,
    before: dict[str, Any] | None = None,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    old, new = audit.changed(
        before or {}, audit.snapshot(disclosure, DISCLOSURE_AUDIT_FIELDS)
    )
    audit.record(
        actor=actor,
        verb=verb,
        obj=disclosure,
        agency=disclosure.agency,
        before=old,
        after={**new, **(extra or {})},
        note=note,
    )


def require(value: Any, message: object, field: str, code: str = "required") -> None:
    """Refuse a blank required input, naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(message, code=code, field=field)


def not_in_future(day: dt.date, message: object, field: str) -> None:
    if day > today():
        raise DomainError(message, code="date_in_future", field=field)


def validation_to_domain(exc: ValidationError, field: str) -> DomainError:
    return DomainError(exc.messages[0], code="invalid", field=field)
