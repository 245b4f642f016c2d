"""The coordinator's pages that load agencies and staff from a spreadsheet.

Parse the upload, call the import service (which checks the whole file and every
row's right), render its row/column errors or its summary. The same services
serve ``manage.py import_agencies`` and ``import_staff``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import permissions
from portal.decorators import staff_required
from portal.errors import error_lines
from portal.forms import AgencyImportForm, StaffImportForm
from portal.imports import StaffImportResult, agencies_import, staff_import
from portal.imports import agencies as agency_columns
from portal.imports import staff as staff_columns
from portal.imports.password_links import send_password_links
from portal.imports.templates import template_xlsx
from portal.web import form_status, run_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _template(columns: tuple, kind: str, filename: str) -> HttpResponse:
    response = HttpResponse(template_xlsx(columns, kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _import_page(
    request: HttpRequest,
    form: AgencyImportForm | StaffImportForm,
    template: str,
    run: Callable[[UploadedFile], Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    """Run the import ``run(upload)`` on a valid form; on success say ``done(result)``
    and go back to the agency list, on refusal show its row/column errors."""
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = run_service(request, lambda: run(upload), form=form, field="file")
        if outcome:
            messages.success(request, done(outcome.value))
            return redirect("workspace:agency_list")
        errors = error_lines(outcome.error)
    return render(
        request, template, {"form": form, "errors": errors}, status=form_status(form)
    )


@staff_required
def agency_import(request: HttpRequest) -> HttpResponse:
    """Upload the agency table; every row checked before anything changes."""
    if not permissions.can_import_agencies(request.user):
        raise PermissionDenied
    return _import_page(
        request,
        AgencyImportForm(request.POST or None, request.FILES or None),
        "portal/workspace/agency_import.html",
        lambda upload: agencies_import(
            actor=request.user, data=upload.read(), filename=upload.name
        ),
        lambda result: (
            _("导入完成：新建 %(c)d 个机构，更新 %(u)d 个，未变 %(n)d 个。")
            % {
                "c": len(result.created),
                "u": len(result.updated),
                "n": result.unchanged,
            }
        ),
    )


@staff_required
def agency_import_template(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import_agencies(request.user):
        raise PermissionDenied
    return _template(agency_columns.COLUMNS, "agencies", "agencies-template.xlsx")


@staff_required
def staff_import_page(request: HttpRequest) -> HttpResponse:
    """Upload the staff table; accounts without passwords, roles granted."""
    if not permissions.can_import_staff(request.user):
        raise PermissionDenied
    form = StaffImportForm(request.POST or None, request.FILES or None)

    def done(result: StaffImportResult) -> str:
        sent = 0
        if form.cleaned_data["send_password_links"]:
            sent = send_password_links(
                result.created, site_url=request.build_absolute_uri("/")
            )
        return _(
            "导入完成：新建 %(c)d 人，更新 %(u)d 人，分配 %(g)d 个角色，"
            "结束 %(e)d 个角色，发送设置密码邮件 %(s)d 封。"
        ) % {
            "c": len(result.created),
            "u": len(result.updated),
            "g": len(result.granted),
            "e": len(result.ended),
            "s": sent,
        }

    return _import_page(
        request,
        form,
        "portal/workspace/staff_import.html",
        lambda upload: staff_import(
            actor=request.user,
            data=upload.read(),
            filename=upload.name,
            end_missing=form.cleaned_data["end_missing"],
        ),
        done,
    )


@staff_required
def staff_import_template(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import_staff(request.user):
        raise PermissionDenied
    return _template(staff_columns.COLUMNS, "staff", "staff-template.xlsx")
