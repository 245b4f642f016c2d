"""The one shape of every workflow: a table of transitions and one check.

Each app states its workflows as data, ``dict[Action, Transition]`` per entity
(entries, review cycles and tasks, requests, disclosures). A transition names the
states it leaves from, the state it leads to, and the predicate of the app's
``permissions`` module that decides who may take it; no roles are spelled here or
in the tables. A service looks its action up through ``check`` before it writes,
and a page offers the buttons ``allowed_actions`` returns, so a button is never
shown for an action the service would refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models

from portal.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    changed_meanwhile,
    remember_seen_status,
)

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    # None: the status stays (an extension changes the clock, not the state).
    target: str | None
    # A predicate ``(user, obj) -> bool`` from the app's permissions module.
    allowed: Callable[[Any, Any], bool]
    # The applicant may take this action through the secret link.
    applicant: bool = False
    # False for a step that another service takes on the object's behalf (an entry
    # is published or retired by publishing a list version), so no page offers it
    # as a button of its own.
    offered: bool = True
    # The message of ``InvalidTransition`` when the state does not allow the action.
    refused: str | None = None


Table = Mapping[Any, Transition]


def check(
    table: Table, action: str, obj: Any, actor: Any, *, as_applicant: bool = False
) -> Transition:
    """Return the transition if ``actor`` may take ``action`` on ``obj`` now.

    Raise ``PermissionDenied`` before ``InvalidTransition`` so that an outsider
    learns nothing about the object's state, and ``Conflict`` instead of
    ``InvalidTransition`` when the state the caller saw allowed the action but
    someone changed it meanwhile (see ``portal.errors.remember_seen_status``).
    ``as_applicant``: the caller proved the applicant's secret, which stands in for
    the predicate on the transitions marked ``applicant``.
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
        raise InvalidTransition(transition.refused)
    return transition


def lock(obj: M, *related: str) -> M:
    """Re-read ``obj`` under a lock on its own row for the rest of the transaction.

    ``related`` are joined for the checks that follow (the agency for the role
    predicate) but not locked. The status the caller saw is remembered on the
    locked row, so that ``check`` answers ``Conflict`` after a lost race.
    """
    locked = (
        type(obj)
        .objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=obj.pk)
    )
    remember_seen_status(locked, obj)
    return locked


def allowed_actions(table: Table, obj: Any, actor: Any) -> list[str]:
    """Return the actions ``actor`` could take on ``obj`` now, for its buttons."""
    return [
        str(action)
        for action, transition in table.items()
        if transition.offered
        and obj.status in transition.sources
        and transition.allowed(actor, obj)
    ]


def actions_elsewhere(table: Table, obj: Any, actor: Any) -> list[str]:
    """Return the actions ``actor`` could take on ``obj`` now from another page.

    These are the transitions not offered as buttons of their own (an approved entry
    is published by publishing its list): a page names them as the next step.
    """
    return [
        str(action)
        for action, transition in table.items()
        if not transition.offered
        and obj.status in transition.sources
        and transition.allowed(actor, obj)
    ]
