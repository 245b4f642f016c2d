"""The negative-list workflows as data, in the one shape of ``portal.workflow``.

Entries: ``draft → submitted → approved → published → (amended: draft | retired)``;
a returned entry goes back to ``draft``. Review cycles: ``open → closed``; their
tasks: ``open → done``. Each arrow is one service function in
``negative_list.services`` (entries, publication, reviews); nothing else assigns
``status``. Who may take an arrow is a predicate of ``negative_list.permissions``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from negative_list import permissions
from negative_list.models import Entry, ReviewCycle, ReviewTask
from portal.workflow import Transition

Status = Entry.Status

CYCLE_NOT_OPEN = _("该定期评审已结束。")
TASK_DONE = _("该评审任务已完成。")


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交审核")
    APPROVE = "approve", _("合法性审查通过")
    RETURN = "return", _("退回修改")
    PUBLISH = "publish", _("发布")
    AMEND = "amend", _("修订")
    RETIRE = "retire", _("取消")


class CycleAction(models.TextChoices):
    CLOSE = "close", _("结束评审")


class TaskAction(models.TextChoices):
    RECORD = "record", _("记录评审结论")


ENTRY_TRANSITIONS: dict[str, Transition] = {
    Action.SUBMIT: Transition(
        frozenset({Status.DRAFT}), Status.SUBMITTED, permissions.can_edit_entry
    ),
    Action.APPROVE: Transition(
        frozenset({Status.SUBMITTED}), Status.APPROVED, permissions.can_review_entry
    ),
    Action.RETURN: Transition(
        frozenset({Status.SUBMITTED}), Status.DRAFT, permissions.can_review_entry
    ),
    # Publication and retirement happen by publishing a list version (or closing
    # a periodic review), never from the entry's own page.
    Action.PUBLISH: Transition(
        frozenset({Status.APPROVED}),
        Status.PUBLISHED,
        permissions.can_publish_entry,
        offered=False,
    ),
    Action.AMEND: Transition(
        frozenset({Status.PUBLISHED}), Status.DRAFT, permissions.can_edit_entry
    ),
    # A periodic review may retire an entry whatever its working state.
    Action.RETIRE: Transition(
        frozenset({Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED}),
        Status.RETIRED,
        permissions.can_publish_entry,
        offered=False,
    ),
}

CYCLE_TRANSITIONS: dict[str, Transition] = {
    CycleAction.CLOSE: Transition(
        frozenset({ReviewCycle.Status.OPEN}),
        ReviewCycle.Status.CLOSED,
        permissions.can_close_review_cycle,
        refused=CYCLE_NOT_OPEN,
    ),
}

TASK_TRANSITIONS: dict[str, Transition] = {
    TaskAction.RECORD: Transition(
        frozenset({ReviewTask.Status.OPEN}),
        ReviewTask.Status.DONE,
        permissions.can_record_review_task,
        refused=TASK_DONE,
    ),
}
