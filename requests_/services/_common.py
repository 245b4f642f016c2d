"""Pieces every service of the app shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.errors import DomainError
from portal.workflow import Table, Transition, check
from portal.workflow import lock as lock  # the services import it from here
from requests_.models import Disclosure, DisclosureRequest

# What an audit event may show about a request: workflow facts, never identity,
# never free text the applicant wrote.
REQUEST_AUDIT_FIELDS = (
    "status",
    "handler",
    "submitted_on",
    "received_on",
    "clock_start",
    "reply_due_on",
    "reply_due_provisional",
    "correction_due_on",
    "correction_requested_on",
    "correction_reply_by",
    "correction_received_on",
    "correction_lapsed_on",
    "extension_days",
    "extension_notified_on",
    "extension_notice_channel",
    "paused_on",
    "paused_remaining_days",
    "consultation_kind",
    # Not the consulted party: a third party may be a person (第十五条).
    "consultation_started_on",
    "consultation_due_on",
    "consultation_ended_on",
    "consultation_result",
    "outcome",
    "exemption_code",
    "negative_list_entry",
    "repeat_of",
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


DATE_IN_FUTURE = _("日期不能晚于今天。")
DATE_BEFORE_RECEIPT = _("日期不能早于收到申请的日期。")


def today() -> dt.date:
    return timezone.localdate()


# Which fields an audit event about each kind of object may show.
AUDIT_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    DisclosureRequest: REQUEST_AUDIT_FIELDS,
    Disclosure: DISCLOSURE_AUDIT_FIELDS,
}

# The first word of an audit verb about each kind of object.
VERB_PREFIX: dict[type[models.Model], str] = {
    DisclosureRequest: "request",
    Disclosure: "disclosure",
}

M = TypeVar("M", DisclosureRequest, Disclosure)
T = TypeVar("T")


def snapshot(obj: DisclosureRequest | Disclosure) -> dict[str, Any]:
    """Return the fields of ``obj`` an audit event may show."""
    return audit.snapshot(obj, AUDIT_FIELDS[type(obj)])


def record(
    *,
    actor: Any,
    verb: str,
    obj: DisclosureRequest | Disclosure,
    before: dict[str, Any] | None = None,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """Append an event about ``obj`` with the changed audited fields only."""
    audit.record_change(
        actor=actor,
        verb=verb,
        obj=obj,
        agency=obj.agency,
        before=before or {},
        after=snapshot(obj),
        note=note,
        extra=extra,
    )


@dataclass
class Step(Generic[M]):
    """One transition under way: the locked row, its rule and the state before it."""

    verb: str
    actor: Any
    obj: M
    transition: Transition
    before: dict[str, Any]

    def finish(self, note: str = "") -> M:
        """Move to the transition's target, save and append the audit event."""
        if self.transition.target is not None:
            self.obj.status = self.transition.target
        self.obj.save()
        record(
            actor=self.actor,
            verb=self.verb,
            obj=self.obj,
            before=self.before,
            note=note,
        )
        return self.obj


def begin(
    table: Table, action: StrEnum, locked: M, actor: Any, *, as_applicant: bool = False
) -> Step[M]:
    """Check ``action`` on the ``locked`` row and start its step."""
    transition = check(table, action, locked, actor, as_applicant=as_applicant)
    verb = f"{VERB_PREFIX[type(locked)]}.{action}"
    return Step(verb, actor, locked, transition, snapshot(locked))


def run_due(
    table: Table,
    action: StrEnum,
    model: type[M],
    pks: Iterable[Any],
    apply: Callable[[Step[M]], T],
) -> list[T]:
    """Run a daily job's ``action`` on each row of ``pks`` as the operator.

    The actor is ``None``; each row goes in its own transaction, under its row
    lock, and is skipped when it left the transition's source states meanwhile
    (its handler acted between the query and the lock). Return what ``apply``
    returned for each row it ran on.
    """
    transition = table[action]
    verb = f"{VERB_PREFIX[model]}.{action}"
    done = []
    for pk in list(pks):
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=pk)
            if locked.status not in transition.sources:
                continue
            done.append(apply(Step(verb, None, locked, transition, snapshot(locked))))
    return done


def require(value: Any, message: object, field: str, code: str = "required") -> None:
    """Refuse a blank required input, naming the field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(message, code=code, field=field)


def not_in_future(day: dt.date, message: object, field: str) -> None:
    if day > today():
        raise DomainError(message, code="date_in_future", field=field)


def event_day(
    request: DisclosureRequest, on: dt.date | None, field: str = "on"
) -> dt.date:
    """Return the day a step on ``request`` happened: ``on``, by default today;
    never in the future nor before the request was received."""
    day = on or today()
    not_in_future(day, DATE_IN_FUTURE, field)
    if request.received_on and day < request.received_on:
        raise DomainError(DATE_BEFORE_RECEIPT, code="date_before_receipt", field=field)
    return day


def validation_to_domain(exc: ValidationError, field: str) -> DomainError:
    return DomainError(exc.messages[0], code="invalid", field=field)
