"""The two workflows as data: (action → allowed source states, target state, who).

Services look their action up here before doing anything, and the pages use the
same table to offer only the actions that can succeed. Nothing else assigns
``status``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from portal.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    changed_meanwhile,
)
from requests_ import permissions
from requests_.models import DisclosureStatus, RequestStatus
from requests_.models.choices import OPEN_STATUSES


class RequestAction(StrEnum):
    ACCEPT = "accept"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    LAPSE = "lapse"
    EXTEND = "extend"
    PAUSE = "pause"
    RESUME = "resume"
    REPLY = "reply"
    CLOSE = "close"
    WITHDRAW = "withdraw"


class DisclosureAction(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    # None: the status stays (an extension changes the clock, not the state).
    target: str | None
    allowed: Callable[[Any, Any], bool]
    # The applicant may take this action through the secret link.
    applicant: bool = False


_S = RequestStatus
_RUNNING = frozenset({_S.RECEIVED, _S.IN_PROGRESS})

REQUEST_TRANSITIONS: dict[RequestAction, Transition] = {
    RequestAction.ACCEPT: Transition(
        frozenset({_S.RECEIVED}), _S.IN_PROGRESS, permissions.can_handle_request
    ),
    RequestAction.REQUEST_CORRECTION: Transition(
        frozenset({_S.RECEIVED}),
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


def check(
    table: dict, action: str, obj: Any, actor: Any, *, as_applicant: bool = False
) -> Transition:
    """Return the transition if ``actor`` may take ``action`` on ``obj`` now.

    Raise ``PermissionDenied`` before ``InvalidTransition`` so that an outsider
    learns nothing about the object's state.
    """
    transition = table[action]
    if as_applicant:
        if not transition.applicant:
            raise PermissionDenied()
    elif not transition.allowed(actor, obj):
        raise PermissionDenied()
    if obj.status not in transition.sources:
        if changed_meanwhile(obj, lambda seen: seen in transition.sources):
            raise Conflict()
        raise InvalidTransition()
    return transition


def available(table: dict, obj: Any, actor: Any) -> list[str]:
    """Return the actions ``actor`` could take on ``obj`` in its current state."""
    return [
        str(action)
        for action, transition in table.items()
        if obj.status in transition.sources and transition.allowed(actor, obj)
    ]
