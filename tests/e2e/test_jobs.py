"""A long import in the browser: the upload is checked, then a job page follows it.

The job page polls its status with a small static script (CSP allows no inline
script) and shows the result when the job is done.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from django.db import connection

from negative_list.models import Entry
from portal.jobs import run_pending, runner
from tests.e2e.conftest import axe_violations
from tests.negative_list import factories

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROWS = 60
HEADER = "序号,类别,事项名称,具体范围,不予公开的法律政策依据,说明\n"
BASIS = "《中华人民共和国政府信息公开条例》第十六条第二款,\n"


def _csv() -> bytes:
    lines = [HEADER] + [
        f"{n},过程性信息,会议记录{n},区政府专题会议{n}的讨论记录," + BASIS
        for n in range(1, ROWS + 1)
    ]
    return "".join(lines).encode("utf-8-sig")


def _upload(page, matrix) -> None:
    page.goto(page.base_url + "/workspace/negative-list/import/")
    page.get_by_label("机构").select_option(label=matrix.agency_a.name)
    page.get_by_label("清单文件").set_input_files(
        {"name": "清单.csv", "mimeType": "text/csv", "buffer": _csv()}
    )
    page.get_by_role("button", name="导入").click()
    page.wait_for_url(re.compile(r"/workspace/jobs/\d+/$"))


def test_import_progress_page_follows_the_job_to_done(matrix, open_page, settings):
    """The page opens while the job waits, the script follows it to 100 %, and
    the finished page links back to the imported drafts."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    factories.provision()
    editor = open_page("editor_a")
    _upload(editor, matrix)

    expect(editor.locator("#job-state")).to_have_text("排队中")
    expect(
        editor.get_by_text(f"文件检查通过（{ROWS}个事项），正在后台导入。")
    ).to_be_visible()
    progress = editor.locator("progress#job-progress")
    expect(progress).to_have_attribute("value", "0")
    assert axe_violations(editor) == []

    assert run_pending() == 1  # a worker takes the job; the page is not reloaded by us

    expect(editor.locator("#job-state")).to_have_text("已完成")
    expect(progress).to_have_attribute("value", "100")
    expect(editor.locator("#job-progress-text")).to_contain_text(
        f"已导入{ROWS}个事项，均为草稿。"
    )
    assert Entry.objects.filter(agency=matrix.agency_a).count() == ROWS
    editor.get_by_role("link", name="查看结果").click()
    expect(editor).to_have_url(re.compile(r"/workspace/negative-list/$"))


def test_import_runs_in_the_web_process_by_default(matrix, open_page, settings):
    """With the default thread runner nothing else needs to run."""
    if connection.vendor == "sqlite":
        # The test database is in-memory SQLite with a shared cache, where a
        # writer's table locks fail other threads' reads at once (no WAL, no busy
        # wait); the runner tests cover thread mode on SQLite without a browser.
        pytest.skip("thread mode in the browser needs a server or WAL database")
    settings.GONGKAI_JOBS_RUNNER = "thread"
    settings.GONGKAI_JOBS_PROGRESS_SECONDS = 0.1
    settings.GONGKAI_JOBS_POLL_SECONDS = 0.05
    factories.provision()
    editor = open_page("editor_a")
    _upload(editor, matrix)
    expect(editor.locator("#job-state")).to_have_text("已完成")
    expect(editor.locator("progress#job-progress")).to_have_attribute("value", "100")
    editor.goto(editor.base_url + "/workspace/jobs/")
    expect(editor.get_by_role("row", name=re.compile("导入负面清单"))).to_contain_text(
        "已完成"
    )
    assert runner.thread_runner_idle(60)  # the thread ends once idle
