"""Staff pages through the real client: forms call the services, errors show."""

from __future__ import annotations

import datetime as dt

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from negative_list.models import Entry, Interpretation, Provision, ReviewCycle
from portal.jobs import run_pending
from tests.negative_list import factories

pytestmark = pytest.mark.django_db

W = "/workspace/negative-list/"
HEADER = "序号,类别,事项名称,具体范围,不予公开的法律政策依据,说明\n"
BASIS = "《中华人民共和国政府信息公开条例》第十六条第二款,\n"


def form_data(**overrides: object) -> dict:
    data = {
        "agency": "",
        "category": "process_info",
        "title": "区政府常务会议讨论记录",
        "scope": "区政府常务会议、专题会议的讨论记录和会议纪要中尚未形成决定的内容",
        "provisions": [factories.provision().pk],
        "responsible_unit": "区政府办公室",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_editor_creates_edits_and_submits_through_pages(matrix):
    client = matrix.client("editor_a")
    response = client.post(f"{W}entries/new/", form_data(agency=matrix.agency_a.pk))
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{W}entries/{entry.pk}/"
    client.post(f"{W}entries/{entry.pk}/edit/", form_data(scope="其他不宜公开的信息"))
    page = client.get(f"{W}entries/{entry.pk}/").content.decode()
    assert 'data-check="vague_wording"' in page
    client.post(f"{W}entries/{entry.pk}/submit/")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED


def test_review_queue_shows_check_results_and_reviewer_approves(matrix, editor):
    entry = factories.submitted(editor, matrix.agency_a, scope="其他不宜公开的信息")
    client = matrix.client("reviewer_a")
    queue = client.get(f"{W}review/").content.decode()
    assert entry.code in queue
    assert "兜底表述" in queue
    client.post(f"{W}entries/{entry.pk}/approve/")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.APPROVED


def test_return_page_action_and_error_message(matrix, editor):
    entry = factories.submitted(editor, matrix.agency_a)
    client = matrix.client("reviewer_a")
    response = client.post(
        f"{W}entries/{entry.pk}/return/", {"reason": ""}, follow=True
    )
    assert "退回时请写明理由" in response.content.decode()
    client.post(f"{W}entries/{entry.pk}/return/", {"reason": "依据不准确"})
    entry.refresh_from_db()
    assert entry.status == Entry.Status.DRAFT


def test_amend_page_action(matrix, published):
    entry = Entry.objects.get(code="310101000-001")
    matrix.client("editor_a").post(
        f"{W}entries/{entry.pk}/amend/", {"change_note": "收窄"}
    )
    entry.refresh_from_db()
    assert entry.latest_version.number == 2


def test_action_urls_refuse_get(matrix, editor):
    entry = factories.draft(editor, matrix.agency_a)
    assert (
        matrix.client("editor_a").get(f"{W}entries/{entry.pk}/submit/").status_code
        == 405
    )


def test_publish_page_publishes(matrix, editor, reviewer):
    factories.approved(editor, reviewer, matrix.agency_a)
    client = matrix.client("reviewer_a")
    page = client.get(f"{W}agencies/310101000/publish/").content.decode()
    assert "310101000-001" in page
    response = client.post(f"{W}agencies/310101000/publish/", {"note": "首次发布"})
    assert response.status_code == 302
    assert response["Location"] == "/negative-lists/310101000/versions/1/"


def test_interpretation_page_saves_sanitised(matrix):
    client = matrix.client("editor_a")
    client.post(
        f"{W}agencies/310101000/interpretation/",
        {
            "review_basis": "<p>依据</p><script>x</script>",
            "adjustment_standards": "",
            "operating_procedure": "",
        },
    )
    assert Interpretation.objects.get().review_basis == "<p>依据</p>"


def upload_list(matrix, row: str):
    """Post a one-row CSV list for agency A to the upload page as its editor."""
    data = HEADER + row + BASIS
    upload = SimpleUploadedFile(
        "list.csv", data.encode("utf-8-sig"), content_type="text/csv"
    )
    return matrix.client("editor_a").post(
        f"{W}import/", {"agency": matrix.agency_a.pk, "file": upload}
    )


def test_upload_page_reports_row_and_column(matrix):
    response = upload_list(matrix, "1,,会议记录,区政府常务会议的讨论记录,")
    assert response.status_code == 400
    assert "第 2 行，类别 列：不能为空。" in response.content.decode()
    assert Entry.objects.count() == 0


def test_upload_page_imports_drafts(matrix):
    response = upload_list(
        matrix, "1,过程性信息,会议记录,区政府常务会议的讨论记录和会议纪要,"
    )
    assert response.status_code == 302
    assert "/workspace/jobs/" in response["Location"]
    run_pending()
    assert Entry.objects.get().status == Entry.Status.DRAFT


def test_cycle_pages_open_record_and_close(matrix, published):
    coordinator = matrix.client("coordinator")
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = coordinator.post(
        f"{W}cycles/",
        {"title": "年度评审", "agency": matrix.agency_a.pk, "due_on": due},
    )
    cycle = ReviewCycle.objects.get()
    assert response["Location"] == f"{W}cycles/{cycle.pk}/"
    reviewer = matrix.client("reviewer_a")
    for task in cycle.tasks.all():
        page = reviewer.get(f"{W}tasks/{task.pk}/").content.decode()
        assert "记录评审结论" in page
        reviewer.post(
            f"{W}tasks/{task.pk}/",
            {
                "legality": "pass",
                "conciseness": "pass",
                "decision": "retain",
                "reasons": "",
            },
        )
    coordinator.post(f"{W}cycles/{cycle.pk}/close/")
    cycle.refresh_from_db()
    assert cycle.status == ReviewCycle.Status.CLOSED


def test_editor_cannot_open_cycle_from_the_page(matrix, published):
    response = matrix.client("editor_a").post(
        f"{W}cycles/", {"title": "x", "due_on": "2099-01-01"}
    )
    assert response.status_code == 403


def test_provisions_page_for_coordinator(matrix):
    client = matrix.client("coordinator")
    page = client.get(f"{W}provisions/").content.decode()
    assert "废止" in page
    client.post(
        f"{W}provisions/",
        {
            "law": "中华人民共和国档案法",
            "article": "第二十八条",
            "exemptions": ["law_prohibited"],
        },
    )
    assert Provision.objects.filter(law="《中华人民共和国档案法》").exists()
    provision = Provision.objects.get(law="《中华人民共和国档案法》")
    client.post(
        f"{W}provisions/{provision.pk}/",
        {
            "law": provision.law,
            "article": provision.article,
            "repealed_on": "2020-01-01",
        },
    )
    provision.refresh_from_db()
    assert provision.repealed_on == dt.date(2020, 1, 1)
    assert (
        matrix.client("editor_a").get(f"{W}provisions/{provision.pk}/").status_code
        == 403
    )


def test_dashboard_panel_lists_reviews_drafts_and_overdue_cycles(
    matrix, published, editor
):
    factories.submitted(editor, matrix.agency_a, title="待审核的事项名称")
    factories.draft(editor, matrix.agency_a, title="我的草稿事项名称")
    cycle = ReviewCycle.objects.create(
        title="逾期的定期评审",
        agency=matrix.agency_a,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    reviewer_page = matrix.client("reviewer_a").get("/workspace/").content.decode()
    assert "待审核的事项名称" in reviewer_page
    assert "逾期的定期评审" in reviewer_page
    assert "已超过截止日期" in reviewer_page
    editor_page = matrix.client("editor_a").get("/workspace/").content.decode()
    assert "我的草稿事项名称" in editor_page
    assert cycle.is_overdue()


def test_workspace_index_filters_by_status(matrix, editor):
    factories.draft(editor, matrix.agency_a, title="草稿甲")
    factories.submitted(
        editor, matrix.agency_a, title="已提交乙", scope="已提交事项的具体范围说明文字"
    )
    page = matrix.client("editor_a").get(f"{W}?status=submitted").content.decode()
    assert "已提交乙" in page
    assert "草稿甲" not in page
