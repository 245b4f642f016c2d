"""Appeals: administrative reviews and lawsuits about a request (表四)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.errors import DomainError, PermissionDenied
from portal.validation import check_lengths
from requests_ import permissions
from requests_.models import Appeal, AppealKind, AppealResult, DisclosureRequest
from requests_.services._common import (
    DATE_IN_FUTURE,
    event_day,
    lock,
    not_in_future,
    require,
)

KIND_INVALID = _("请选择行政复议或行政诉讼的类型。")
RESULT_INVALID = _("请选择审理结果。")
LAWSUIT_NEEDS_REVIEW = _("复议后起诉须先登记行政复议。")
DECIDED_ON_REQUIRED = _("已审结的须填写审结日期。")


APPEAL_FIELDS = ("kind", "filed_on", "body", "result", "decided_on")


@transaction.atomic
def appeal_record(
    *,
    actor: Any,
    request: DisclosureRequest,
    kind: str,
    filed_on: dt.date,
    body: str = "",
    note: str = "",
) -> Appeal:
    """Record that an administrative review or lawsuit was filed about a request."""
    check_lengths("appeal", body=body, note=note)
    locked = lock(request)
    if not permissions.can_handle_request(actor, locked):
        raise PermissionDenied()
    if kind not in AppealKind.values:
        raise DomainError(KIND_INVALID, code="invalid", field="kind")
    day = event_day(locked, filed_on, "filed_on")
    if (
        kind == AppealKind.LAWSUIT_AFTER_REVIEW
        and not locked.appeals.filter(kind=AppealKind.REVIEW).exists()
    ):
        raise DomainError(LAWSUIT_NEEDS_REVIEW, code="appeal_order", field="kind")
    appeal = Appeal.objects.create(
        request=locked, kind=kind, filed_on=day, body=body.strip(), note=note.strip()
    )
    audit.record(
        actor=actor,
        verb="request.appeal_record",
        obj=locked,
        agency=locked.agency,
        after=audit.snapshot(appeal, APPEAL_FIELDS),
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: Any,
    appeal: Appeal,
    result: str,
    decided_on: dt.date | None = None,
    note: str = "",
) -> Appeal:
    """Record the result of a review or lawsuit (维持 / 纠正 / 其他 / 尚未审结)."""
    check_lengths("appeal", note=note)
    locked = lock(appeal.request)
    if not permissions.can_handle_request(actor, locked):
        raise PermissionDenied()
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if result not in AppealResult.values:
        raise DomainError(RESULT_INVALID, code="invalid", field="result")
    before = audit.snapshot(appeal, APPEAL_FIELDS)
    if result != AppealResult.PENDING:
        require(decided_on, DECIDED_ON_REQUIRED, "decided_on")
        not_in_future(decided_on, DATE_IN_FUTURE, "decided_on")
    appeal.result = result
    appeal.decided_on = decided_on if result != AppealResult.PENDING else None
    if note:
        appeal.note = note.strip()
    appeal.save()
    audit.record_change(
        actor=actor,
        verb="request.appeal_decide",
        obj=locked,
        agency=locked.agency,
        before=before,
        after=audit.snapshot(appeal, APPEAL_FIELDS),
    )
    return appeal
