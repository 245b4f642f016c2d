"""The letter workflow as data, in the one shape of ``portal.workflow``."""

from __future__ import annotations

from enum import StrEnum

from letters import permissions
from letters.models import LetterStatus
from portal.workflow import Transition


class LetterAction(StrEnum):
    EDIT = "edit"
    CANCEL = "cancel"
    ISSUE = "issue"
    VOID = "void"


_S = LetterStatus
_DRAFT = frozenset({_S.DRAFT})

LETTER_TRANSITIONS: dict[LetterAction, Transition] = {
    LetterAction.EDIT: Transition(_DRAFT, None, permissions.can_write_letter),
    LetterAction.CANCEL: Transition(_DRAFT, _S.CANCELLED, permissions.can_write_letter),
    LetterAction.ISSUE: Transition(_DRAFT, _S.ISSUED, permissions.can_write_letter),
    LetterAction.VOID: Transition(
        frozenset({_S.ISSUED}), _S.VOID, permissions.can_write_letter
    ),
}
