"""Workspace page: import an existing column (the web face of import_disclosures)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from portal.decorators import staff_required
from portal.web import import_page
from requests_ import jobs, permissions
from requests_.forms import DisclosureImportForm


@staff_required
def disclosure_import(request: HttpRequest) -> HttpResponse:
    """Check the uploaded file whole, then publish its rows in a background job."""
    agencies = permissions.importing_agencies_qs(request.user)
    if not agencies.exists():
        raise PermissionDenied
    form = DisclosureImportForm(
        request.POST or None, request.FILES or None, agencies=agencies
    )
    return import_page(
        request,
        form,
        validate=jobs.disclosure_import_validate,
        kind=jobs.DISCLOSURE_IMPORT,
        title=_("导入主动公开信息：%(name)s"),
        checked=_("文件检查通过（%(count)d条），正在后台导入。"),
        template="requests_/workspace/disclosure_import.html",
        field="file",
    )
