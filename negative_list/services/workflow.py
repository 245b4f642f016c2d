"""The entry workflow as data: one table of allowed transitions.

``draft → submitted → approved → published → (amended: draft | retired)``;
a returned entry goes back to ``draft``. Each arrow is one service function in
``negative_list.services.entries`` (or the publication/review services); nothing
else assigns ``Entry.status``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from negative_list.models import Entry
from portal import permissions as core_permissions
from portal.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    changed_meanwhile,
)
from portal.models import Role

Status = Entry.Status


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交审核")
    APPROVE = "approve", _("合法性审查通过")
    RETURN = "return", _("退回修改")
    PUBLISH = "publish", _("发布")
    AMEND = "amend", _("修订")
    RETIRE = "retire", _("取消")


@dataclass(frozen=True)
class Transition:
    target: str
    roles: tuple[str, ...]


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (Status.DRAFT, Action.SUBMIT): Transition(Status.SUBMITTED, (Role.EDITOR,)),
    (Status.SUBMITTED, Action.APPROVE): Transition(Status.APPROVED, (Role.REVIEWER,)),
    (Status.SUBMITTED, Action.RETURN): Transition(Status.DRAFT, (Role.REVIEWER,)),
    (Status.APPROVED, Action.PUBLISH): Transition(
        Status.PUBLISHED, (Role.REVIEWER, Role.COORDINATOR)
    ),
    (Status.PUBLISHED, Action.AMEND): Transition(Status.DRAFT, (Role.EDITOR,)),
    # A periodic review may retire an entry whatever its working state.
    **{
        (state, Action.RETIRE): Transition(
            Status.RETIRED, (Role.REVIEWER, Role.COORDINATOR)
        )
        for state in (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED)
    },
}


def transition_for(entry: Entry, action: str) -> Transition:
    """Return the allowed transition or raise ``InvalidTransition``."""
    transition = TRANSITIONS.get((entry.status, action))
    if transition is None:
        if changed_meanwhile(entry, lambda seen: (seen, action) in TRANSITIONS):
            raise Conflict()
        raise InvalidTransition()
    return transition


def check_transition(entry: Entry, action: str, actor: object) -> Transition:
    """Check the guard and the actor's role for ``action`` on a locked entry."""
    transition = transition_for(entry, action)
    if actor is not None and not core_permissions.has_role(
        actor, entry.agency, *transition.roles
    ):
        raise PermissionDenied()
    return transition


def allowed_actions(entry: Entry, actor: object) -> list[str]:
    """Return the actions ``actor`` may take on ``entry`` now (for buttons)."""
    return [
        action
        for (state, action), transition in TRANSITIONS.items()
        if state == entry.status
        and action not in {Action.PUBLISH, Action.RETIRE}
        and core_permissions.has_role(actor, entry.agency, *transition.roles)
    ]
