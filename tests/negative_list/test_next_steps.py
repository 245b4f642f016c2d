"""Staff pages say the next step and offer only what can succeed (issue 15).

Through the real client: the approved entry names publishing as next, the review
cycle's close button is disabled with the service's own refusal while tasks are
open (and the service refuses the POST too), and the entry form chooses the
agency from the tree and refuses a repealed provision with its message.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from negative_list import services
from negative_list.models import Entry, Provision, ReviewCycle
from negative_list.services.entries import PROVISION_REPEALED
from negative_list.services.reviews import TASKS_OPEN
from portal.forms import AGENCY_PROMPT
from tests.factories import AgencyFactory
from tests.negative_list import factories

pytestmark = pytest.mark.django_db

W = "/workspace/negative-list/"


def _agency_select(page: str) -> str:
    return re.search(r'<select name="agency".*?</select>', page, re.S).group(0)


def _open_cycle(matrix) -> ReviewCycle:
    return services.review_cycle_open(
        actor=matrix.user("coordinator"),
        title="2026年度定期评审",
        agency=matrix.agency_a,
        due_on=dt.date.today() + dt.timedelta(days=30),
    )


def _close_button(page: str) -> str:
    found = re.search(r"<button[^>]*>结束评审并发布新版本</button>", page)
    assert found, "the close button is shown"
    return found.group(0)


def test_approved_entry_names_publishing_as_next_step_with_its_link(
    matrix, editor, reviewer
):
    entry = factories.approved(editor, reviewer, matrix.agency_a)
    page = matrix.client("reviewer_a").get(f"{W}entries/{entry.pk}/").content.decode()
    assert "下一步：" in page
    assert f'href="{W}agencies/{matrix.agency_a.code}/publish/"' in page
    assert "当前没有您可执行的操作" not in page
    # The editor may not publish: told who does, offered no link.
    page = matrix.client("editor_a").get(f"{W}entries/{entry.pk}/").content.decode()
    assert "等待本机构审核人或政务公开办发布清单新版本" in page
    assert f"{W}agencies/{matrix.agency_a.code}/publish/" not in page


def test_close_is_disabled_with_the_count_of_open_tasks_and_refused(
    matrix, published, reviewer
):
    cycle = _open_cycle(matrix)
    assert cycle.tasks.count() == 2
    coordinator = matrix.client("coordinator")
    page = coordinator.get(f"{W}cycles/{cycle.pk}/").content.decode()
    button = _close_button(page)
    assert "disabled" in button
    assert 'aria-describedby="close-refusal"' in button
    reason = str(TASKS_OPEN % {"count": 2})
    assert f'<p class="help" id="close-refusal">{reason}</p>' in page
    assert "还有2项评审任务未完成" in reason

    response = coordinator.post(f"{W}cycles/{cycle.pk}/close/")
    assert response.status_code == 400
    assert reason in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == ReviewCycle.Status.OPEN


def test_close_is_enabled_once_every_task_is_recorded(matrix, published, reviewer):
    cycle = _open_cycle(matrix)
    for task in cycle.tasks.all():
        factories.retained(reviewer, task)
    page = matrix.client("coordinator").get(f"{W}cycles/{cycle.pk}/").content.decode()
    assert "disabled" not in _close_button(page)
    assert 'id="close-refusal"' not in page


def test_close_is_not_offered_to_whom_may_not_close(matrix, published):
    cycle = _open_cycle(matrix)
    page = matrix.client("editor_a").get(f"{W}cycles/{cycle.pk}/").content.decode()
    assert "结束评审并发布新版本" not in page


def test_entry_form_groups_agencies_and_preselects_the_only_one(matrix):
    page = matrix.client("editor_a").get(f"{W}entries/new/").content.decode()
    select = _agency_select(page)
    assert "data-agency-filter" in select
    assert f'<option value="">{AGENCY_PROMPT}</option>' in select  # not selected
    assert "---------" not in select
    # editor_a works at 黄浦区 (and so at its sub-unit): both in the 区 group,
    # the sub-unit indented under it, 黄浦区 chosen already.
    assert re.findall(r'<optgroup label="([^"]+)">', select) == ["区"]
    assert re.search(
        rf'<option value="{matrix.agency_a.pk}" selected>上海市黄浦区人民政府</option>',
        select,
    )
    assert (
        f'<option value="{matrix.subunit_a.pk}">\u3000上海市黄浦区教育局</option>'
        in (select)
    )
    assert 'src="/static/portal/js/agency_filter.js" defer' in page


def test_entry_form_preselects_the_editors_single_agency(matrix):
    """An editor of one agency with no sub-unit gets it chosen already."""
    only = matrix.agency_b
    page = matrix.client("editor_b").get(f"{W}entries/new/").content.decode()
    select = _agency_select(page)
    assert select.count("<option") == 2  # the prompt and 徐汇区
    assert f'<option value="{only.pk}" selected>' in select


def test_coordinator_sees_departments_and_districts_grouped_in_tree_order(matrix):
    """市级部门 come before 区; each group follows sort order and name, not code."""
    for code, name, order in (
        ("310000199", "上海市财政局", 2),
        ("310000101", "上海市商务委员会", 3),
    ):
        AgencyFactory(
            code=code,
            name=name,
            parent=matrix.city,
            kind="department",
            sort_order=order,
        )
    page = matrix.client("coordinator").get(f"{W}cycles/").content.decode()
    select = _agency_select(page)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == ["市政府", "市级部门", "区"]
    departments = re.findall(r">([^<>]+)</option>", groups[1][1])
    assert departments == ["上海市财政局", "上海市商务委员会"]
    # The cycle's own prompt stays: no agency means every list.
    assert '<option value="" selected>全部已发布清单的机构</option>' in select
    assert select.count(" selected>") == 1


def test_repealed_provisions_come_last_marked_and_are_refused(matrix):
    current = factories.provision()
    repealed = Provision.objects.filter(repealed_on__lte=dt.date.today()).first()
    assert repealed is not None
    client = matrix.client("editor_a")
    page = client.get(f"{W}entries/new/").content.decode()
    labels = re.findall(r'name="provisions" value="(\d+)"', page)
    assert labels.index(str(current.pk)) < labels.index(str(repealed.pk))
    assert f"{repealed.citation}（已废止）" in page

    response = client.post(
        f"{W}entries/new/",
        {
            "agency": matrix.agency_a.pk,
            "category": "process_info",
            "title": "区政府常务会议讨论记录",
            "scope": "区政府常务会议的讨论记录中尚未形成决定的内容",
            "provisions": [current.pk, repealed.pk],
        },
    )
    assert response.status_code == 400
    message = str(
        PROVISION_REPEALED
        % {
            "citation": repealed.citation,
            "date": f"{repealed.repealed_on.year}年{repealed.repealed_on.month}月"
            f"{repealed.repealed_on.day}日",
        }
    )
    assert message in response.content.decode()
    assert not Entry.objects.exists()


def test_a_wording_citing_a_since_repealed_provision_stays_editable(matrix, editor):
    """Only a new citation is refused: a draft carried over keeps its old basis."""
    old = Provision.objects.filter(repealed_on__lte=dt.date.today()).first()
    entry = factories.draft(editor, matrix.agency_a)
    entry.latest_version.provisions.add(old)
    cited = tuple(entry.latest_version.provisions.all())
    services.entry_update(
        actor=editor,
        entry=entry,
        content=factories.content(title="改过的名称", provisions=cited),
    )
    entry.refresh_from_db()
    assert entry.latest_version.title == "改过的名称"
