"""Periodic review cycles: opening, verdicts, four eyes, closing into a new version."""

from __future__ import annotations

import datetime as dt

import pytest

from django.utils import timezone

from negative_list import selectors, services
from negative_list.models import Entry, ReviewCycle, ReviewTask
from negative_list.services.reviews import (
    AMENDMENTS_PENDING,
    CYCLE_NOT_OPEN,
    REASONS_REQUIRED,
    RETAIN_ILLEGAL,
    TASKS_OPEN,
)
from portal.errors import (
    DomainError,
    FourEyesViolation,
    InvalidTransition,
    PermissionDenied,
)
from portal.models import Role
from search.models import OutboxEntry
from tests.factories import MembershipFactory
from tests.negative_list import factories

pytestmark = pytest.mark.django_db


def due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=20)


@pytest.fixture
def cycle(matrix, published):
    return services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="2026年度定期评审",
        agency=matrix.agency_a,
        due_on=due(),
    )


def record(reviewer, task, **kwargs):
    values = {
        "legality": "pass",
        "conciseness": "pass",
        "decision": "retain",
        "reasons": "",
    }
    values.update(kwargs)
    return services.review_task_record(actor=reviewer, task=task, **values)


def test_open_creates_one_task_per_published_entry(cycle):
    assert cycle.status == ReviewCycle.Status.OPEN
    assert cycle.tasks.count() == 2
    assert {t.entry_version_id for t in cycle.tasks.all()} == set(
        Entry.objects.values_list("published_version", flat=True)
    )


def test_open_for_all_agencies_needs_a_city_coordinator(
    matrix, published, editor, reviewer
):
    """A cycle for every agency with a published list covers all their entries."""
    MembershipFactory(user=editor, agency=matrix.agency_b, role=Role.EDITOR)
    MembershipFactory(user=reviewer, agency=matrix.agency_b, role=Role.REVIEWER)
    factories.published_list(
        editor, reviewer, matrix.agency_b, [{"title": "徐汇区会议记录"}]
    )
    with pytest.raises(PermissionDenied):
        services.review_cycle_open(
            actor=reviewer, title="全市评审", agency=None, due_on=due()
        )
    cycle = services.review_cycle_open(
        actor=matrix.user("coordinator"), title="全市评审", agency=None, due_on=due()
    )
    assert cycle.tasks.count() == 3
    assert {t.agency_id for t in cycle.tasks.all()} == {
        matrix.agency_a.pk,
        matrix.agency_b.pk,
    }


def test_only_one_open_cycle_per_agency(matrix, cycle):
    with pytest.raises(DomainError) as caught:
        services.review_cycle_open(
            actor=matrix.user("coordinator"),
            title="重复",
            agency=matrix.agency_a,
            due_on=due(),
        )
    assert caught.value.code == "cycle_open"


def test_due_date_in_the_past_is_refused(matrix, published):
    with pytest.raises(DomainError) as caught:
        services.review_cycle_open(
            actor=matrix.user("coordinator"),
            title="评审",
            agency=matrix.agency_a,
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert caught.value.field == "due_on"


def test_record_completes_a_task(cycle, reviewer):
    task = record(reviewer, cycle.tasks.first())
    assert task.status == ReviewTask.Status.DONE
    assert task.reviewer == reviewer


def test_record_refused_for_the_author_of_the_reviewed_wording(matrix, cycle):
    """Four eyes also holds in periodic review."""
    author = matrix.user("editor_a")
    MembershipFactory(user=author, agency=matrix.agency_a, role=Role.REVIEWER)
    with pytest.raises(FourEyesViolation):
        record(author, cycle.tasks.first())


def test_editor_cannot_record(matrix, cycle):
    with pytest.raises(PermissionDenied):
        record(matrix.user("editor_a"), cycle.tasks.first())


def test_failed_legality_cannot_be_retained(cycle, reviewer):
    with pytest.raises(DomainError) as caught:
        record(reviewer, cycle.tasks.first(), legality="fail", reasons="依据已废止")
    assert caught.value.message == str(RETAIN_ILLEGAL)


def test_retire_needs_reasons(cycle, reviewer):
    with pytest.raises(DomainError) as caught:
        record(reviewer, cycle.tasks.first(), conciseness="fail", decision="retire")
    assert caught.value.message == str(REASONS_REQUIRED)


def test_task_recorded_twice_is_refused(cycle, reviewer):
    task = record(reviewer, cycle.tasks.first())
    with pytest.raises(InvalidTransition):
        record(reviewer, task)


def test_close_refused_while_tasks_are_open(matrix, cycle, reviewer):
    record(reviewer, cycle.tasks.first())
    with pytest.raises(DomainError) as caught:
        services.review_cycle_close(actor=matrix.user("coordinator"), cycle=cycle)
    assert caught.value.message == str(TASKS_OPEN % {"count": 1})


def test_close_refused_until_amendments_are_approved(matrix, cycle, editor, reviewer):
    tasks = list(cycle.tasks.order_by("entry__serial"))
    record(reviewer, tasks[0], conciseness="fail", decision="amend", reasons="范围过宽")
    record(reviewer, tasks[1])
    with pytest.raises(DomainError) as caught:
        services.review_cycle_close(actor=matrix.user("coordinator"), cycle=cycle)
    assert caught.value.message == str(AMENDMENTS_PENDING % {"codes": "310101000-001"})


def test_closing_publishes_next_version_with_retired_and_amended(
    matrix, cycle, editor, reviewer
):
    """Retire one entry, amend the other: closing publishes v2 with both changes."""
    first, second = cycle.tasks.order_by("entry__serial")
    record(
        reviewer,
        first,
        conciseness="fail",
        decision="amend",
        reasons="范围过宽，需收窄",
    )
    record(
        reviewer,
        second,
        legality="fail",
        decision="retire",
        reasons="情势变化，可以公开",
    )
    entry = first.entry
    services.entry_amend(actor=editor, entry=entry, change_note="按评审意见收窄")
    services.entry_update(
        actor=editor,
        entry=entry,
        content=factories.content(scope="区政府常务会议讨论记录中尚未形成决定的部分"),
    )
    services.entry_submit(actor=editor, entry=entry)
    services.entry_approve(actor=reviewer, entry=entry)

    (version,) = services.review_cycle_close(
        actor=matrix.user("coordinator"), cycle=cycle
    )

    cycle.refresh_from_db()
    assert cycle.status == ReviewCycle.Status.CLOSED
    assert version.number == 2
    assert version.review_cycle == cycle
    assert version.change_summary["retired"] == ["310101000-002"]
    assert version.change_summary["amended"] == ["310101000-001"]
    assert [i.scope for i in version.items.all()] == [
        "区政府常务会议讨论记录中尚未形成决定的部分"
    ]
    assert Entry.objects.get(code="310101000-002").status == Entry.Status.RETIRED
    assert OutboxEntry.objects.filter(
        doc_type="entry", object_id=str(second.entry_id), action="delete"
    ).exists()
    assert selectors.published_lists()[0].last_reviewed == version.published_at


def test_closing_with_everything_retained_still_publishes_a_version(
    matrix, cycle, reviewer
):
    for task in cycle.tasks.all():
        record(reviewer, task)
    (version,) = services.review_cycle_close(
        actor=matrix.user("coordinator"), cycle=cycle
    )
    assert version.change_summary["kept"] == 2
    with pytest.raises(InvalidTransition) as caught:
        services.review_cycle_close(actor=matrix.user("coordinator"), cycle=cycle)
    assert caught.value.message == str(CYCLE_NOT_OPEN)


def test_overdue_cycles_and_tasks_are_selected(matrix, cycle, reviewer):
    later = timezone.localdate() + dt.timedelta(days=30)
    assert cycle.is_overdue(later)
    assert selectors.my_open_tasks(reviewer).count() == 2
    assert selectors.my_open_tasks(matrix.user("editor_b")).count() == 0
