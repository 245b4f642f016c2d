"""Background jobs of the negative list: the spreadsheet import and the export.

The import is checked in the request first (all-or-nothing, every row/column
error shown on the form as before), then written in a job that reports each
row; the job runs the same service, which validates again inside its
transaction. The export writes an agency's working list, every entry in its
current wording and state, to a private file downloaded from the job page.
"""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from negative_list import exports, permissions, services
from negative_list.models import Entry
from negative_list.services.imports import PUBLIC_COLUMNS, read_rows, validate_rows
from portal.errors import PermissionDenied
from portal.exports import append_row, csv_bytes
from portal.jobs import JobKind, JobOutcome, Progress, register_job_kind
from portal.models import Agency, Job
from portal.permissions import AnyUser

IMPORT = "negative_list.import"
EXPORT = "negative_list.export"
EXPORT_FORMATS = ("xlsx", "csv")
EXPORT_COLUMNS = (*PUBLIC_COLUMNS, "事项编号", "状态")


def import_validate(
    *, actor: AnyUser, agency: Agency, data: bytes, filename: str
) -> int:
    """Check the whole file now; return its row count or raise ``ImportInvalid``."""
    if not permissions.can_import_entries(actor, agency):
        raise PermissionDenied()
    return len(validate_rows(read_rows(data, filename)))


def _run_import(job: Job, progress: Progress) -> JobOutcome:
    with job.input_file.open("rb") as handle:
        data = handle.read()
    entries = services.entries_import(
        actor=job.created_by,
        agency=job.agency,
        data=data,
        filename=job.params.get("filename", ""),
        progress=progress.iterate,
    )
    return JobOutcome(
        message=gettext("已导入%(count)d个事项，均为草稿。") % {"count": len(entries)},
        url=reverse("negative_list:workspace"),
    )


def _entry_rows(agency: Agency, progress: Progress) -> list[list[object]]:
    entries = (
        Entry.objects.filter(agency=agency)
        .select_related("latest_version__category")
        .prefetch_related("latest_version__provisions")
        .order_by("serial", "pk")
    )
    progress.set_total(entries.count())
    rows: list[list[object]] = [list(EXPORT_COLUMNS)]
    for entry in progress.iterate(entries.iterator(chunk_size=200)):
        version = entry.latest_version
        if version is None:
            continue
        rows.append(
            [
                entry.serial,
                version.category.name,
                version.title,
                version.scope,
                version.basis_text(),
                version.notes,
                entry.code,
                str(entry.get_status_display()),
            ]
        )
    return rows


def _to_csv(rows: list[list[object]]) -> bytes:
    return csv_bytes(rows)


def _to_xlsx(rows: list[list[object]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate((*exports.COLUMN_WIDTHS, 24, 10), start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _run_export(job: Job, progress: Progress) -> JobOutcome:
    agency = job.agency
    if not permissions.can_export_entries(job.created_by, agency):
        raise PermissionDenied()
    fmt = job.params.get("fmt", "xlsx")
    rows = _entry_rows(agency, progress)
    data = _to_csv(rows) if fmt == "csv" else _to_xlsx(rows, gettext("工作清单"))
    return JobOutcome(
        message=gettext("已导出%(count)d个事项。") % {"count": len(rows) - 1},
        file_name=f"negative-list-{agency.code}-working.{fmt}",
        file_data=data,
    )


def _may_import(user: AnyUser) -> bool:
    return permissions.draftable_agencies_qs(user).exists()


def _may_export(user: AnyUser) -> bool:
    return permissions.staff_agencies_qs(user).exists()


def register() -> None:
    register_job_kind(
        JobKind(
            IMPORT,
            _("导入负面清单"),
            _run_import,
            can_start=_may_import,
            start_url_name="negative_list:import",
            order=10,
        )
    )
    register_job_kind(
        JobKind(
            EXPORT,
            _("导出负面清单"),
            _run_export,
            can_start=_may_export,
            start_url_name="negative_list:export_start",
            order=20,
        )
    )
