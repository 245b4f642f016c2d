"""``{{ history|in_words }}``: audit events with labels instead of codes."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from portal import audit_labels
from portal.models import AuditEvent

register = template.Library()


@register.filter
def in_words(events: Iterable[AuditEvent]) -> list[audit_labels.EventInWords]:
    """Describe the events of a history for people (see ``portal.audit_labels``)."""
    return audit_labels.in_words(events)
