"""Periodic review (定期评审, 第十八条): cycles, tasks, verdicts, closing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from negative_list import permissions, selectors
from negative_list.models import Entry, ListVersion, ReviewCycle, ReviewTask
from negative_list.services.entries import check_four_eyes
from negative_list.services.lists import publish_unchecked
from negative_list.services.workflow import (
    CYCLE_NOT_OPEN,
    CYCLE_TRANSITIONS,
    TASK_TRANSITIONS,
    CycleAction,
    TaskAction,
)
from portal import audit
from portal.calendar import check_supported
from portal.errors import (
    DomainError,
    InvalidTransition,
    PermissionDenied,
)
from portal.models import Agency
from portal.validation import check_lengths
from portal.workflow import check

DUE_IN_PAST = _("截止日期不能早于今天。")
TITLE_REQUIRED = _("请填写评审名称。")
NOTHING_TO_REVIEW = _("没有已发布的清单事项可供评审。")
CYCLE_ALREADY_OPEN = _("%(agency)s已有进行中的定期评审，请先结束后再开启。")
TASKS_OPEN = _("还有%(count)d项评审任务未完成，不能结束评审。")
AMENDMENTS_PENDING = _("以下事项的结论为“修订”，但修订稿尚未审核通过：%(codes)s。")
REASONS_REQUIRED = _("结论为修订或取消、或审查不符合时，请写明理由。")
RETAIN_ILLEGAL = _("合法性审查不符合的事项不能保留，请选择修订或取消。")


def _open_cycle_agencies() -> set[int | None]:
    return set(
        ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).values_list(
            "agency_id", flat=True
        )
    )


def _agencies_for(agency: Agency | None) -> list[Agency]:
    if agency is not None:
        return [agency]
    ids = ListVersion.objects.values_list("agency_id", flat=True).distinct()
    return list(Agency.objects.filter(pk__in=ids, is_active=True))


@transaction.atomic
def review_cycle_open(
    *, actor: User, title: str, agency: Agency | None, due_on: dt.date
) -> ReviewCycle:
    """Open a cycle for one agency (or all with a published list); one task per
    published entry."""
    if not permissions.can_open_review_cycle(actor, agency):
        raise PermissionDenied()
    if not title.strip():
        raise DomainError(TITLE_REQUIRED, code="title_required", field="title")
    check_lengths("review_cycle", title=title)
    check_supported(due_on, "due_on")
    if due_on < timezone.localdate():
        raise DomainError(DUE_IN_PAST, code="due_in_past", field="due_on")
    open_agencies = _open_cycle_agencies()
    agencies = _agencies_for(agency)
    if None in open_agencies or (agency is None and open_agencies):
        raise DomainError(
            CYCLE_ALREADY_OPEN % {"agency": agency or _("全市")}, code="cycle_open"
        )
    for candidate in agencies:
        if candidate.pk in open_agencies:
            raise DomainError(
                CYCLE_ALREADY_OPEN % {"agency": candidate.display_name},
                code="cycle_open",
            )
    cycle = ReviewCycle.objects.create(
        title=title.strip(), agency=agency, due_on=due_on, opened_by=actor
    )
    tasks = [
        ReviewTask(
            cycle=cycle,
            entry=entry,
            agency=candidate,
            entry_version=entry.published_version,
        )
        for candidate in agencies
        for entry in selectors.published_entries(candidate)
    ]
    if not tasks:
        raise DomainError(NOTHING_TO_REVIEW, code="nothing_to_review")
    ReviewTask.objects.bulk_create(tasks)
    audit.record(
        actor=actor,
        verb="negative_list.review_cycle.open",
        obj=cycle,
        agency=agency,
        after={"title": cycle.title, "due_on": due_on, "tasks": len(tasks)},
    )
    return cycle


def _check_verdicts(
    legality: str, conciseness: str, decision: str, reasons: str
) -> None:
    fails = ReviewTask.Verdict.FAIL in {legality, conciseness}
    if legality == ReviewTask.Verdict.FAIL and decision == ReviewTask.Decision.RETAIN:
        raise DomainError(RETAIN_ILLEGAL, code="retain_illegal", field="decision")
    if (fails or decision != ReviewTask.Decision.RETAIN) and not reasons.strip():
        raise DomainError(REASONS_REQUIRED, code="reasons_required", field="reasons")


@transaction.atomic
def review_task_record(
    *,
    actor: User,
    task: ReviewTask,
    legality: str,
    conciseness: str,
    decision: str,
    reasons: str = "",
) -> ReviewTask:
    """Record the legality and conciseness verdicts and the decision of one task."""
    check_lengths("review_task", reasons=reasons)
    task = (
        ReviewTask.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=task.pk)
    )
    cycle = ReviewCycle.objects.get(pk=task.cycle_id)
    transition = check(TASK_TRANSITIONS, TaskAction.RECORD, task, actor)
    # Closing a cycle needs every task done, so an open task of a closed cycle
    # can only come from a row edited by hand: refuse it all the same.
    if cycle.status != ReviewCycle.Status.OPEN:
        raise InvalidTransition(CYCLE_NOT_OPEN)
    check_four_eyes(actor, task.entry)
    _check_verdicts(legality, conciseness, decision, reasons)
    task.legality = legality
    task.conciseness = conciseness
    task.decision = decision
    task.reasons = reasons.strip()
    task.reviewer = actor
    task.decided_at = timezone.now()
    task.status = transition.target
    task.save()
    audit.record(
        actor=actor,
        verb="negative_list.review_task.record",
        obj=task,
        agency=task.agency,
        before={"status": ReviewTask.Status.OPEN},
        after={
            "status": task.status,
            "legality": legality,
            "conciseness": conciseness,
            "decision": decision,
        },
        note=task.reasons,
    )
    return task


def review_cycle_close_refusal(cycle: ReviewCycle) -> DomainError | None:
    """Return the refusal ``review_cycle_close`` would raise over the tasks, or None.

    Pages read it to disable the close button with its reason instead of offering
    an action that cannot succeed.
    """
    return _close_refusal(list(cycle.tasks.select_related("entry")))


def _close_refusal(tasks: list[ReviewTask]) -> DomainError | None:
    open_count = sum(1 for t in tasks if t.status == ReviewTask.Status.OPEN)
    if open_count:
        return DomainError(TASKS_OPEN % {"count": open_count}, code="tasks_open")
    pending = [
        t.entry.code
        for t in tasks
        if t.decision == ReviewTask.Decision.AMEND
        and t.entry.status != Entry.Status.APPROVED
    ]
    if pending:
        return DomainError(
            AMENDMENTS_PENDING % {"codes": "、".join(pending)},
            code="amendments_pending",
        )
    return None


@transaction.atomic
def review_cycle_close(*, actor: User, cycle: ReviewCycle) -> list[ListVersion]:
    """Close a cycle whose tasks are all done, publishing each agency's next version.

    Retired entries leave the list; amended entries enter with their approved new
    wording; retained ones stay as they were.
    """
    cycle = ReviewCycle.objects.select_for_update().get(pk=cycle.pk)
    transition = check(CYCLE_TRANSITIONS, CycleAction.CLOSE, cycle, actor)
    tasks = list(cycle.tasks.select_related("entry", "agency"))
    refusal = _close_refusal(tasks)
    if refusal is not None:
        raise refusal
    by_agency: dict[int, tuple[Agency, set[int]]] = {}
    for task in tasks:
        _agency, retire = by_agency.setdefault(task.agency_id, (task.agency, set()))
        if task.decision == ReviewTask.Decision.RETIRE:
            retire.add(task.entry_id)
    versions = [
        publish_unchecked(
            actor=actor,
            agency=agency,
            retire=retire,
            cycle=cycle,
            note=str(_("定期评审“%(title)s”结束后发布。") % {"title": cycle.title}),
            allow_unchanged=True,
        )
        for agency, retire in by_agency.values()
    ]
    cycle.status = transition.target
    cycle.closed_by = actor
    cycle.closed_at = timezone.now()
    cycle.save()
    audit.record(
        actor=actor,
        verb="negative_list.review_cycle.close",
        obj=cycle,
        agency=cycle.agency,
        before={"status": ReviewCycle.Status.OPEN},
        after={"status": cycle.status, "versions": [v.pk for v in versions]},
    )
    return versions
