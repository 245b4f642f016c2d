"""The conversion decision (依申请转主动公开) for released information."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError, InvalidTransition, PermissionDenied
from portal.validation import check_lengths
from requests_ import permissions
from requests_.models import (
    ConversionDecision,
    Disclosure,
    DisclosureRequest,
    NonConversionReason,
    RequestStatus,
)
from requests_.models.choices import RELEASING_OUTCOMES
from requests_.services._common import lock, record, snapshot, today
from requests_.services.disclosures import disclosure_create_draft

NOT_RELEASED = _("只有予以公开或部分公开的申请需要作出转主动公开决定。")
ALREADY_DECIDED = _("已作出转主动公开决定。")
DECISION_INVALID = _("请选择转主动公开决定。")
REASON_REQUIRED = _("不转为主动公开须选择理由。")
NOTE_REQUIRED = _("理由为“其他申请人本人事项”时须具体说明。")
LINK_TARGET = _("只能关联本机关已发布的主动公开信息。")
DECIDABLE = (RequestStatus.REPLIED, RequestStatus.CLOSED)


@transaction.atomic
def conversion_decide(
    *,
    actor: Any,
    request: DisclosureRequest,
    decision: str,
    reason: str = "",
    note: str = "",
    disclosure: Disclosure | None = None,
    draft: dict[str, Any] | None = None,
) -> DisclosureRequest:
    """Decide whether released information becomes a disclosure.

    ``convert`` creates a draft (``draft`` gives its catalogue fields; the title
    defaults to the request's); ``link_existing`` attaches the request to an
    already published disclosure of the agency (第四十四条); ``not_convert`` needs
    one of the applicant's-own-affairs reasons, with free text for "other".
    """
    check_lengths("conversion", note=note)
    locked = lock(request)
    if not permissions.can_handle_request(actor, locked):
        raise PermissionDenied()
    if locked.status not in DECIDABLE:
        raise InvalidTransition()
    if locked.outcome not in RELEASING_OUTCOMES:
        raise DomainError(NOT_RELEASED, code="not_released")
    if locked.conversion_decision:
        raise DomainError(ALREADY_DECIDED, code="already_decided")
    before = snapshot(locked)
    _apply(actor, locked, decision, reason, note, disclosure, draft)
    locked.conversion_decision = decision
    locked.conversion_decided_by = actor
    locked.conversion_decided_on = today()
    locked.save()
    record(actor=actor, verb="request.conversion_decide", obj=locked, before=before)
    if locked.disclosure is not None and decision == ConversionDecision.CONVERT:
        from requests_.services.screen import screen_run

        screen_run(disclosure=locked.disclosure)
    return locked


def _apply(
    actor: Any,
    locked: DisclosureRequest,
    decision: str,
    reason: str,
    note: str,
    disclosure: Disclosure | None,
    draft: dict[str, Any] | None,
) -> None:
    if decision == ConversionDecision.CONVERT:
        fields = {"title": locked.title, **(draft or {})}
        locked.disclosure = disclosure_create_draft(
            actor=actor, agency=locked.agency, **fields
        )
    elif decision == ConversionDecision.LINK_EXISTING:
        if (
            disclosure is None
            or disclosure.agency_id != locked.agency_id
            or not disclosure.is_public()
        ):
            raise DomainError(LINK_TARGET, code="link_target", field="disclosure")
        locked.disclosure = disclosure
    elif decision == ConversionDecision.NOT_CONVERT:
        if reason not in NonConversionReason.values:
            raise DomainError(REASON_REQUIRED, code="required", field="reason")
        if reason == NonConversionReason.OTHER_PERSONAL and not (note or "").strip():
            raise DomainError(NOTE_REQUIRED, code="required", field="note")
        locked.non_conversion_reason = reason
        locked.non_conversion_note = (note or "").strip()
    else:
        raise DomainError(DECISION_INVALID, code="invalid", field="decision")
