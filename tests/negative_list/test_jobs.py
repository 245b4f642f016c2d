"""The negative-list import and export as background jobs, through the pages."""

from __future__ import annotations

import io

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from negative_list.jobs import EXPORT, IMPORT
from negative_list.models import Entry
from portal.jobs import run_pending
from portal.models import AuditEvent, Job
from tests.conftest import A_STAFF, ACTORS, STAFF, outcomes
from tests.negative_list import factories

pytestmark = pytest.mark.django_db

W = "/workspace/negative-list/"
HEADER = "序号,类别,事项名称,具体范围,不予公开的法律政策依据,说明\n"
BASIS = "《中华人民共和国政府信息公开条例》第十六条第二款,\n"


@pytest.fixture(autouse=True)
def worker_mode(settings):
    settings.GONGKAI_JOBS_RUNNER = "worker"


def csv_upload(rows: int, *, bad_row: int | None = None) -> SimpleUploadedFile:
    factories.provision()
    lines = [HEADER]
    for n in range(1, rows + 1):
        category = "" if n == bad_row else "过程性信息"
        lines.append(f"{n},{category},会议记录{n},区政府常务会议的讨论记录{n}," + BASIS)
    return SimpleUploadedFile(
        "清单.csv", "".join(lines).encode("utf-8-sig"), content_type="text/csv"
    )


def test_import_is_checked_whole_in_the_request(matrix):
    """A wrong row is reported with row and column on the form; no job, nothing
    imported."""
    response = matrix.client("editor_a").post(
        f"{W}import/",
        {"agency": matrix.agency_a.pk, "file": csv_upload(3, bad_row=3)},
    )
    # The form re-renders with its error (portal.web's rule for a refused input).
    assert response.status_code == 400
    assert "第 4 行，类别 列：不能为空。" in response.content.decode()
    assert not Job.objects.exists()
    assert not Entry.objects.exists()


def test_import_runs_in_a_job_with_progress(matrix):
    """A good file queues a job (total = rows); the job writes every row as a
    draft, keeps no upload, and links back to the list."""
    response = matrix.client("editor_a").post(
        f"{W}import/", {"agency": matrix.agency_a.pk, "file": csv_upload(25)}
    )
    job = Job.objects.get()
    assert response["Location"] == f"/workspace/jobs/{job.pk}/"
    assert (job.kind, job.agency, job.total, job.done) == (
        IMPORT,
        matrix.agency_a,
        25,
        0,
    )
    assert job.input_file
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.percent) == (25, 100)
    assert job.message == "已导入25个事项，均为草稿。"
    assert job.result_url == W
    assert Entry.objects.filter(status=Entry.Status.DRAFT).count() == 25
    assert not job.input_file


def test_import_job_is_all_or_nothing_when_the_catalogue_changed(matrix):
    """If the file no longer validates when the job runs, nothing is written and
    the row errors are kept on the job."""
    matrix.client("editor_a").post(
        f"{W}import/", {"agency": matrix.agency_a.pk, "file": csv_upload(5)}
    )
    from negative_list.models import Provision

    Provision.objects.all().delete()
    run_pending()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert "第 2 行，不予公开的法律政策依据 列：依据目录中没有" in job.error
    assert not Entry.objects.exists()


EXPORT_GET = outcomes(STAFF)
# POST agency A: a job, or the form again (A not offered).
EXPORT_A = outcomes(A_STAFF, ok=302, outsider=200)


@pytest.mark.parametrize("actor", ACTORS)
def test_export_permission_matrix(matrix, actor):
    """Staff of agency A (or above) export its list; others cannot pick it."""
    client = matrix.client(actor)
    assert client.get(f"{W}export/").status_code == EXPORT_GET[actor]
    response = client.post(f"{W}export/", {"agency": matrix.agency_a.pk, "fmt": "csv"})
    assert response.status_code == EXPORT_A[actor]
    created = Job.objects.filter(kind=EXPORT, agency=matrix.agency_a).exists()
    assert created == (EXPORT_A[actor] == 302 and actor != "anonymous")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_job_writes_every_entry_with_its_state(matrix, published, fmt):
    """The export holds drafts too, with their state; the creator downloads it
    from the job page and an editor of another agency cannot."""
    factories.draft(matrix.user("editor_a"), matrix.agency_a, title="新草稿事项")
    client = matrix.client("editor_a")
    client.post(f"{W}export/", {"agency": matrix.agency_a.pk, "fmt": fmt})
    run_pending()
    job = Job.objects.get()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.total) == (3, 3)
    response = client.get(f"/workspace/jobs/{job.pk}/download/")
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        text = body.decode("utf-8")
        assert text.startswith("\ufeff序号,类别,事项名称")
        assert ",草稿\r\n" in text
        assert "新草稿事项" in text
        assert ",已发布\r\n" in text
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert "新草稿事项" in values
        assert "已发布" in values
    assert job.result_name == f"negative-list-310101000-working.{fmt}"
    other = matrix.client("editor_b").get(f"/workspace/jobs/{job.pk}/download/")
    assert other.status_code == 404
    assert AuditEvent.objects.filter(object_id=str(job.pk), verb="job.finish").exists()
