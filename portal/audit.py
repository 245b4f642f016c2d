"""Append events to the audit trail from inside a service's transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal import httpcache
from portal.models import Agency, AuditEvent


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Return a JSON-ready dict of ``fields`` of ``obj`` (foreign keys as ids)."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        result[name] = _json_value(getattr(obj, attname))
    return result


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Keep only the keys whose values differ, so an event shows the change."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    *,
    actor: Any,
    verb: str,
    obj: models.Model,
    agency: Agency | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append one event about ``obj``; call it inside the service's transaction.

    ``agency`` decides who may read the event. Callers must not pass applicant
    identity in ``before``/``after``/``note``.
    """
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    label = ""
    if signed_in:
        label = actor.get_full_name() or actor.get_username()
    elif actor is None:
        label = "system"
    else:
        label = "public"
    # A publication, withdrawal or the like: cached public pages go stale on commit.
    httpcache.audit_recorded(verb)
    return AuditEvent.objects.create(
        actor=actor if signed_in else None,
        actor_label=label[:150],
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        agency=agency,
        before=_json_value(before or {}),
        after=_json_value(after or {}),
        note=note,
    )


def record_change(
    *,
    actor: Any,
    verb: str,
    obj: models.Model,
    before: dict[str, Any],
    after: dict[str, Any],
    agency: Agency | None = None,
    note: str = "",
    extra: dict[str, Any] | None = None,
    skip_unchanged: bool = False,
) -> AuditEvent | None:
    """Append one event about ``obj`` that shows only what changed.

    ``before`` and ``after`` are snapshots of the same keys taken around the
    write; the event keeps the keys whose values differ. ``extra`` is added to
    ``after`` as it is (a value the snapshot does not hold). With
    ``skip_unchanged`` nothing is recorded when no key changed.
    """
    old, new = changed(before, after)
    if skip_unchanged and not new:
        return None
    return record(
        actor=actor,
        verb=verb,
        obj=obj,
        agency=agency,
        before=old,
        after={**new, **(extra or {})},
        note=note,
    )


def events_for(obj: models.Model):
    """Return the events about ``obj``, newest first (callers still scope them)."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")


def actor_ids(obj: models.Model, *, excluding: Iterable[str] = ()) -> set[int]:
    """Return the ids of the signed-in users with an event about ``obj``.

    Events whose verb is in ``excluding`` do not count. Rules about people ("never
    approve your own work") read this set, so that a later event by someone else
    cannot hide an earlier one.
    """
    return set(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(
                obj, for_concrete_model=False
            ),
            object_id=str(obj.pk),
            actor__isnull=False,
        )
        .exclude(verb__in=list(excluding))
        .values_list("actor_id", flat=True)
        .distinct()
    )
