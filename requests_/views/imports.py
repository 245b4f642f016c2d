"""Workspace page: import an existing column (the web face of import_disclosures)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.decorators import staff_required
from portal.jobs import job_submit
from portal.web import form_status, run_service
from requests_ import jobs, permissions
from requests_.forms import DisclosureImportForm
from requests_.services.imports import ImportInvalid


@staff_required
def disclosure_import(request: HttpRequest) -> HttpResponse:
    """Check the uploaded file whole, then publish its rows in a background job."""
    agencies = permissions.importing_agencies_qs(request.user)
    if not agencies.exists():
        raise PermissionDenied
    form = DisclosureImportForm(
        request.POST or None, request.FILES or None, agencies=agencies
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        agency = form.cleaned_data["agency"]
        data = upload.read()

        def submit() -> tuple[int, object]:
            count = jobs.disclosure_import_validate(
                actor=request.user, agency=agency, data=data, filename=upload.name
            )
            job = job_submit(
                kind=jobs.DISCLOSURE_IMPORT,
                actor=request.user,
                agency=agency,
                title=_("导入主动公开信息：%(name)s") % {"name": upload.name},
                params={"filename": upload.name},
                input_name=upload.name,
                input_data=data,
                total=count,
            )
            return count, job

        submitted = run_service(request, submit, form=form, field="file")
        if submitted:
            count, job = submitted.value
            messages.success(
                request,
                _("文件检查通过（%(count)d条），正在后台导入。") % {"count": count},
            )
            return redirect("workspace:job_detail", pk=job.pk)
        if isinstance(submitted.error, ImportInvalid):
            errors = [str(error) for error in submitted.error.errors]
    return render(
        request,
        "requests_/workspace/disclosure_import.html",
        {"form": form, "errors": errors},
        status=form_status(form),
    )
