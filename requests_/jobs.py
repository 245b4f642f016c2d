"""Background jobs of requests_: the web import of a column and the report export.

The web import is the ``import_disclosures`` command's service for an editor:
the file is checked whole in the request (row/column errors on the form, nothing
imported if any row is wrong), every row must belong to the chosen agency or a
unit below it, and the job then publishes the rows in one transaction while
counting them. The annual-report export re-checks the creator's right to the
report when it runs and leaves its file on the job page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.errors import PermissionDenied
from portal.jobs import JobKind, JobOutcome, Progress, register_job_kind
from portal.models import Agency, Job
from portal.permissions import AnyUser
from requests_ import permissions
from requests_.reports import access, annual, exports
from requests_.screening import HIT_LABELS, find_personal_data
from requests_.services.imports import (
    ImportInvalid,
    RowError,
    disclosures_import,
    read_upload,
    validate_rows,
)

DISCLOSURE_IMPORT = "requests_.disclosure_import"
ANNUAL_EXPORT = "requests_.annual_report_export"
IMPORT_FORMATS = (".csv", ".xlsx", ".jsonl")
OUTSIDE_AGENCY = _("机构“%(value)s”不是%(agency)s或其下属单位，不能在此导入。")
NO_ROWS = _("文件中没有数据行。")
PERSONAL_DATA = _("含%(count)d处疑似个人信息（%(kinds)s），请遮盖后再导入。")
SCREENED_COLUMNS = ("title", "body", "summary", "keywords", "doc_no")


def _read(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """Read the file through the upload door (``portal.uploads``), in memory."""
    return read_upload(data, filename)


def _check(agency: Agency, rows: list[tuple[int, dict[str, Any]]]) -> None:
    """Raise ``ImportInvalid`` for any wrong row, or a row of another agency."""
    if not rows:
        raise ImportInvalid([RowError(1, "—", str(NO_ROWS))])
    parsed_rows, errors = validate_rows(rows)
    for parsed in parsed_rows:
        errors.extend(_personal_data(parsed))
        if parsed.agency is not None and not parsed.agency.tree_path.startswith(
            agency.tree_path
        ):
            message = OUTSIDE_AGENCY % {
                "value": parsed.values.get("agency", ""),
                "agency": agency.name,
            }
            errors.append(RowError(parsed.row, "agency", str(message)))
    if errors:
        errors.sort(key=lambda error: error.row)
        raise ImportInvalid(errors)


def _personal_data(parsed: Any) -> list[RowError]:
    """An imported row is published without the screen a converted item passes,
    so a row showing personal data is refused until the file is masked."""
    errors = []
    for column in SCREENED_COLUMNS:
        hits = find_personal_data(str(parsed.values.get(column) or ""))
        if hits:
            kinds = "、".join(sorted({str(HIT_LABELS[hit.kind]) for hit in hits}))
            message = PERSONAL_DATA % {"kinds": kinds, "count": len(hits)}
            errors.append(RowError(parsed.row, column, str(message)))
    return errors


def disclosure_import_validate(
    *, actor: AnyUser, agency: Agency, data: bytes, filename: str
) -> int:
    """Check the whole file now; return its row count or raise ``ImportInvalid``."""
    if not permissions.can_import_disclosures(actor, agency):
        raise PermissionDenied()
    rows = _read(data, filename)
    _check(agency, rows)
    return len(rows)


def _run_import(job: Job, progress: Progress) -> JobOutcome:
    if not permissions.can_import_disclosures(job.created_by, job.agency):
        raise PermissionDenied()
    with job.input_file.open("rb") as handle:
        rows = _read(handle.read(), job.params.get("filename", ""))
    _check(job.agency, rows)
    created = disclosures_import(rows=rows, progress=progress.iterate)
    return JobOutcome(
        message=gettext("已导入并发布%(count)d条信息。") % {"count": len(created)},
        url=reverse("requests_:disclosure_list"),
    )


def _run_annual_export(job: Job, progress: Progress) -> JobOutcome:
    progress.set_total(3)
    query = access.resolve_query(job.created_by, job.params)
    progress.update(1, message=gettext("正在统计……"))
    report = annual.annual_report(query)
    progress.update(2, message=gettext("正在生成文件……"))
    fmt = job.params.get("fmt", "xlsx")
    data = exports.to_csv(report) if fmt == "csv" else exports.to_xlsx(report)
    progress.update(3, message="")
    return JobOutcome(file_name=exports.filename(report, fmt), file_data=data)


def _may_import(user: AnyUser) -> bool:
    return permissions.importing_agencies_qs(user).exists()


def _may_read_reports(user: AnyUser) -> bool:
    return permissions.report_agencies_qs(user).exists()


def register() -> None:
    register_job_kind(
        JobKind(
            DISCLOSURE_IMPORT,
            _("导入主动公开信息"),
            _run_import,
            can_start=_may_import,
            start_url_name="requests_:disclosure_import",
            order=30,
        )
    )
    register_job_kind(
        JobKind(
            ANNUAL_EXPORT,
            _("导出年度报告"),
            _run_annual_export,
            can_start=_may_read_reports,
            start_url_name="annual_report:page",
            order=40,
        )
    )
