"""The two workflows as data, in the one shape of ``portal.workflow``.

Each action names its source states, its target state and the predicate of
``requests_.permissions`` that decides who may take it. Services look their action
up through ``portal.workflow.check`` before doing anything, and the pages use
``portal.workflow.allowed_actions`` on the same table to offer only the actions
that can succeed. Nothing else assigns ``status``.
"""

from __future__ import annotations

from enum import StrEnum

from portal.workflow import Transition
from requests_ import permissions
from requests_.models import DisclosureStatus, RequestStatus
from requests_.models.choices import OPEN_STATUSES


class RequestAction(StrEnum):
    CONFIRM = "confirm"
    ACCEPT = "accept"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    LAPSE = "lapse"
    EXTEND = "extend"
    PAUSE = "pause"
    RESUME = "resume"
    RUN_OUT = "run_out"
    REPLY = "reply"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    FEE_NOTIFY = "fee_notify"
    FEE_PAY = "fee_pay"
    FEE_WAIVE = "fee_waive"
    FEE_LAPSE = "fee_lapse"


class DisclosureAction(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    WITHDRAW = "withdraw"


_S = RequestStatus
_RUNNING = frozenset({_S.RECEIVED, _S.IN_PROGRESS})

REQUEST_TRANSITIONS: dict[RequestAction, Transition] = {
    # 第三十一条: an online request is received on the day the agency confirms it.
    RequestAction.CONFIRM: Transition(
        frozenset({_S.SUBMITTED}), _S.RECEIVED, permissions.can_handle_request
    ),
    RequestAction.ACCEPT: Transition(
        frozenset({_S.RECEIVED}), _S.IN_PROGRESS, permissions.can_handle_request
    ),
    # 第三十条: one notice within 7 working days of receipt, accepted or not yet.
    RequestAction.REQUEST_CORRECTION: Transition(
        _RUNNING,
        _S.CORRECTION_REQUESTED,
        permissions.can_handle_request,
    ),
    RequestAction.RECEIVE_CORRECTION: Transition(
        frozenset({_S.CORRECTION_REQUESTED}),
        _S.IN_PROGRESS,
        permissions.can_handle_request,
        applicant=True,
    ),
    RequestAction.LAPSE: Transition(
        frozenset({_S.CORRECTION_REQUESTED}), _S.LAPSED, permissions.can_handle_request
    ),
    RequestAction.EXTEND: Transition(_RUNNING, None, permissions.can_approve_extension),
    RequestAction.PAUSE: Transition(
        _RUNNING, _S.CONSULTING, permissions.can_handle_request
    ),
    RequestAction.RESUME: Transition(
        frozenset({_S.CONSULTING}), _S.IN_PROGRESS, permissions.can_handle_request
    ),
    # The consultation's 15 working days passed unanswered (第三十二条, 第三十四条):
    # taken by the daily job, or by the handler from the request's page.
    RequestAction.RUN_OUT: Transition(
        frozenset({_S.CONSULTING}),
        _S.IN_PROGRESS,
        permissions.can_record_consultation_run_out,
    ),
    RequestAction.REPLY: Transition(
        _RUNNING, _S.REPLIED, permissions.can_handle_request
    ),
    RequestAction.CLOSE: Transition(
        frozenset({_S.REPLIED}), _S.CLOSED, permissions.can_handle_request
    ),
    RequestAction.WITHDRAW: Transition(
        frozenset(OPEN_STATUSES),
        _S.WITHDRAWN,
        permissions.can_handle_request,
        applicant=True,
    ),
    # 国办函〔2020〕109号 第六条: the fee notice stops the clock until payment; a
    # reviewer other than the handler may waive it; unpaid, it lapses (the job).
    RequestAction.FEE_NOTIFY: Transition(
        _RUNNING, _S.FEE_PENDING, permissions.can_handle_request
    ),
    RequestAction.FEE_PAY: Transition(
        frozenset({_S.FEE_PENDING}), _S.IN_PROGRESS, permissions.can_handle_request
    ),
    RequestAction.FEE_WAIVE: Transition(
        frozenset({_S.FEE_PENDING}), _S.IN_PROGRESS, permissions.can_waive_fee
    ),
    RequestAction.FEE_LAPSE: Transition(
        frozenset({_S.FEE_PENDING}), _S.IN_PROGRESS, permissions.can_handle_request
    ),
}

_D = DisclosureStatus

DISCLOSURE_TRANSITIONS: dict[DisclosureAction, Transition] = {
    DisclosureAction.SUBMIT: Transition(
        frozenset({_D.DRAFT}), _D.SUBMITTED, permissions.can_edit_disclosure
    ),
    DisclosureAction.RETURN: Transition(
        frozenset({_D.SUBMITTED}), _D.DRAFT, permissions.can_approve_disclosure
    ),
    DisclosureAction.APPROVE: Transition(
        frozenset({_D.SUBMITTED}), _D.PUBLISHED, permissions.can_approve_disclosure
    ),
    DisclosureAction.WITHDRAW: Transition(
        frozenset({_D.PUBLISHED}), _D.WITHDRAWN, permissions.can_withdraw_disclosure
    ),
}
