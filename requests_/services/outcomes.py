"""What a reply's outcome needs to have happened first, and the repeat link.

Some rows of 表三 record a fact about the request's history, so the outcome is
refused until the history holds it:

- （四）3 "still unclear after correction": the applicant answered a correction
  notice (第三十条).
- （六）1 "no correction in time": the correction lapsed.
- （六）2 "fee not paid in time": a fee notice lapsed (国办函〔2020〕109号 第六条).
- （五）2 "repeat request": the request is linked to an earlier request of the
  same applicant to the same agency (``request_mark_repeat``).

Refusals keep needing their exemption and, where one applies, the list entry
(``workflow._check_exemption``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError, PermissionDenied
from requests_ import permissions
from requests_.models import DisclosureRequest, FeeNotice, FeeStatus, Outcome
from requests_.services._common import lock, record, snapshot

NEEDS_ANSWERED_CORRECTION = _(
    "“补正后申请内容仍不明确”须先向申请人发出补正告知并收到补正（第三十条）。"
)
NEEDS_LAPSED_CORRECTION = _(
    "“逾期不补正”须先发出补正告知，且申请人补正期限已过、已按逾期不补正处理。"
)
NEEDS_LAPSED_FEE = _(
    "“逾期未按收费通知缴费”须先发出收费通知，且缴费期限已过、收费通知已逾期。"
)
NEEDS_REPEAT_LINK = _("“重复申请”须在“重复申请所对应的原申请”中关联该申请人的原申请。")
REPEAT_NOT_SAME = _("所关联的原申请须是同一申请人向本机关提出的申请。")
REPEAT_NOT_EARLIER = _("所关联的原申请须早于本申请收到。")
REPEAT_OPEN = _("只能为办理中的申请关联原申请。")


def check_reply_preconditions(request: DisclosureRequest, outcome: Outcome) -> None:
    """Refuse ``outcome`` for ``request`` unless its history allows it.

    Called by ``workflow.request_reply`` on the locked row; each refusal names
    the field to fix.
    """
    if (
        outcome == Outcome.UNAVAILABLE_STILL_UNCLEAR
        and request.correction_received_on is None
    ):
        raise DomainError(
            NEEDS_ANSWERED_CORRECTION, code="precondition", field="outcome"
        )
    if outcome == Outcome.OTHER_NO_CORRECTION and request.correction_lapsed_on is None:
        raise DomainError(NEEDS_LAPSED_CORRECTION, code="precondition", field="outcome")
    if (
        outcome == Outcome.OTHER_FEE_UNPAID
        and not FeeNotice.objects.filter(
            request=request, status=FeeStatus.LAPSED
        ).exists()
    ):
        raise DomainError(NEEDS_LAPSED_FEE, code="precondition", field="outcome")
    if outcome == Outcome.NOT_HANDLED_REPEAT:
        if request.repeat_of_id is None:
            raise DomainError(NEEDS_REPEAT_LINK, code="precondition", field="repeat_of")
        _check_repeat(request, request.repeat_of)


def _check_repeat(request: DisclosureRequest, earlier: DisclosureRequest) -> None:
    if (
        earlier.pk == request.pk
        or earlier.agency_id != request.agency_id
        or not request.applicant_key
        or earlier.applicant_key != request.applicant_key
    ):
        raise DomainError(REPEAT_NOT_SAME, code="repeat", field="repeat_of")
    if earlier.received_on is None or (earlier.received_on, earlier.pk) > (
        request.received_on,
        request.pk,
    ):
        raise DomainError(REPEAT_NOT_EARLIER, code="repeat", field="repeat_of")


@transaction.atomic
def request_mark_repeat(
    *, actor: Any, request: DisclosureRequest, earlier: DisclosureRequest | None
) -> DisclosureRequest:
    """Link ``request`` to the earlier request it repeats (None clears the link).

    The earlier request must be the same applicant's (same ``applicant_key``) to
    the same agency, received before; the handler of the request decides.
    """
    locked = lock(request)
    if not permissions.can_handle_request(actor, locked):
        raise PermissionDenied()
    if not locked.is_open:
        raise DomainError(REPEAT_OPEN, code="invalid_state")
    before = snapshot(locked)
    if earlier is not None:
        _check_repeat(locked, earlier)
    locked.repeat_of = earlier
    locked.save(update_fields=["repeat_of", "updated_at"])
    record(actor=actor, verb="request.mark_repeat", obj=locked, before=before)
    return locked
