"""requests_ background jobs through the pages: the column import and the
annual-report export."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.jobs import run_pending
from portal.models import Job
from requests_.jobs import ANNUAL_EXPORT, DISCLOSURE_IMPORT
from requests_.models import Disclosure, DisclosureStatus
from search.models import OutboxEntry
from tests.conftest import ACTORS, outcomes
from tests.requests_.annual_report_builders import report_statuses
from tests.requests_.annual_report_year import YEAR, build_year

pytestmark = pytest.mark.django_db

IMPORT = "/workspace/disclosures/import/"
HEADER = ["index_no", "title", "body", "agency", "topic", "published_on"]


@pytest.fixture(autouse=True)
def worker_mode(settings):
    settings.GONGKAI_JOBS_RUNNER = "worker"


def column_csv(rows: list[dict], name: str = "专栏.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: row.get(key, "") for key in HEADER})
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"))


def rows(agency: str, count: int) -> list[dict]:
    return [
        {
            "title": f"黄浦区旧住房综合改造项目计划（第{n}批）",
            "body": f"本批次实施旧住房综合改造项目{n}个。",
            "agency": agency,
            "topic": "1001",
            "published_on": "2024-03-15",
        }
        for n in range(1, count + 1)
    ]


def post_import(client, agency, data: list[dict]):
    """Post ``data`` as a column file to import for ``agency``."""
    return client.post(IMPORT, {"agency": agency.pk, "file": column_csv(data)})


IMPORTER = "coordinator"
IMPORT_GET = outcomes(("coordinator", "superuser"), outsider=403)
# A file for agency A: a job, or refused.
IMPORT_POST_A = outcomes(("coordinator", "superuser"), ok=302, outsider=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_import_page_permission_matrix(matrix, actor):
    """An import publishes without review, so only the coordinator and
    administrators import; editors and reviewers cannot."""
    client = matrix.client(actor)
    assert client.get(IMPORT).status_code == IMPORT_GET[actor]
    response = post_import(client, matrix.agency_a, rows(matrix.agency_a.code, 2))
    assert response.status_code == IMPORT_POST_A[actor]
    queued = Job.objects.filter(kind=DISCLOSURE_IMPORT).exists()
    assert queued == (IMPORT_POST_A[actor] == 302 and actor != "anonymous")
    assert not Disclosure.objects.exists()


def test_import_errors_name_row_and_column_and_nothing_is_queued(matrix):
    """Every wrong row is listed with its row and column, including rows of an
    agency outside the chosen one; no job is queued."""
    bad = rows(matrix.agency_a.code, 3)
    bad[1]["title"] = ""
    bad[2]["agency"] = matrix.agency_b.code
    response = post_import(matrix.client(IMPORTER), matrix.agency_a, bad)
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 3 行，title 列：不能为空。" in page
    assert "第 4 行，agency 列：机构“310104000”不是" in page
    assert "文件有 2 处错误，未导入任何内容。" in page
    assert not Job.objects.exists()


def test_import_runs_in_a_job_and_publishes_every_row(matrix):
    """A good file becomes a job; the job publishes each row (the sub-unit's
    too), queues them for the index, and reports the count."""
    data = rows(matrix.agency_a.code, 4) + rows(matrix.subunit_a.code, 1)
    response = post_import(matrix.client(IMPORTER), matrix.agency_a, data)
    job = Job.objects.get()
    assert response["Location"] == f"/workspace/jobs/{job.pk}/"
    assert (job.total, job.agency) == (5, matrix.agency_a)
    run_pending()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.percent) == (5, 100)
    assert job.message == "已导入并发布5条信息。"
    assert Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED).count() == 5
    assert OutboxEntry.objects.count() == 5
    assert not job.input_file


def test_import_job_refuses_when_the_role_was_revoked(matrix):
    """The job re-checks the right when it runs; nothing is published."""
    post_import(matrix.client(IMPORTER), matrix.agency_a, rows(matrix.agency_a.code, 2))
    matrix.user(IMPORTER).memberships.all().delete()
    run_pending()
    assert Job.objects.get().state == Job.State.FAILED
    assert not Disclosure.objects.exists()


def test_rows_showing_personal_data_are_refused(matrix):
    """An import skips the screen a converted item passes: a row with an ID
    number or a mobile number is named by row and column, nothing is queued."""
    data = rows(matrix.agency_a.code, 3)
    data[0]["body"] = "联系人张三，身份证号码11010519491231002X。"
    data[2]["title"] = "咨询电话13812345678"
    response = post_import(matrix.client(IMPORTER), matrix.agency_a, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 2 行，body 列：含1处疑似个人信息（身份证号码）" in page
    assert "第 4 行，title 列：含1处疑似个人信息（手机号码）" in page
    assert not Job.objects.exists()
    assert not Disclosure.objects.exists()


def test_unsupported_file_is_refused_at_the_field(matrix):
    """A file of another format is refused on the form's file field."""
    upload = SimpleUploadedFile("专栏.pdf", b"%PDF-1.4")
    response = matrix.client(IMPORTER).post(
        IMPORT, {"agency": matrix.agency_a.pk, "file": upload}
    )
    assert response.status_code == 400
    assert "不支持的文件格式" in response.context["form"].errors["file"][0]


# --- annual report export ----------------------------------------------------------

EXPORT_STATUS = report_statuses(ok=302, anonymous=302)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("which", ["a", "all"])
def test_export_job_permission_matrix(matrix, actor, which):
    """The job is queued for those who may read that report, else 404."""
    code = matrix.agency_a.code if which == "a" else "all"
    response = matrix.client(actor).post(
        "/workspace/annual-report/export-job/csv/", {"agency": code, "year": YEAR}
    )
    assert response.status_code == EXPORT_STATUS[actor][which]
    queued = Job.objects.filter(kind=ANNUAL_EXPORT).exists()
    assert queued == (response.status_code == 302 and actor != "anonymous")


def test_export_job_refuses_get_and_unknown_formats(matrix):
    client = matrix.client("editor_a")
    url = "/workspace/annual-report/export-job/"
    assert client.get(f"{url}csv/").status_code == 405
    assert client.post(f"{url}pdf/", {"agency": "all"}).status_code == 404
    assert client.post(f"{url}csv/", {"year": YEAR}).status_code == 400


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_job_file_matches_the_direct_download(matrix, fmt):
    """The job's file is the same report the page shows, downloaded from the job
    page; another agency's editor cannot fetch it."""
    build_year(matrix)
    client = matrix.client("editor_a")
    client.post(
        f"/workspace/annual-report/export-job/{fmt}/",
        {"agency": matrix.agency_a.code, "year": YEAR, "scope": "subtree"},
    )
    run_pending()
    job = Job.objects.get()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.total) == (3, 3)
    assert job.result_name == f"annual-report-{matrix.agency_a.code}-{YEAR}.{fmt}"
    body = b"".join(client.get(f"/workspace/jobs/{job.pk}/download/").streaming_content)
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert [
            "四、结转下年度继续办理",
            "",
            "",
            "3",
            "1",
            "1",
            "0",
            "0",
            "0",
            "5",
        ] in table
    else:
        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        assert sheet["J6"].value == 31
    other = matrix.client("editor_b").get(f"/workspace/jobs/{job.pk}/download/")
    assert other.status_code == 404


def test_report_page_offers_the_job_exports(matrix):
    """The report page's export buttons post to the job view with the query."""
    page = matrix.client("editor_a").get(
        f"/workspace/annual-report/?agency={matrix.agency_a.code}&year={YEAR}"
    )
    html = page.content.decode()
    assert 'action="/workspace/annual-report/export-job/xlsx/"' in html
    assert f'name="agency" value="{matrix.agency_a.code}"' in html
