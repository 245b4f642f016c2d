"""Pages of the public shell and the staff workspace. Parse, call a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import extensions, permissions, selectors, services
from portal.calendar import FIRST_SUPPORTED_DATE, LAST_SUPPORTED_DATE, default_calendar
from portal.decorators import staff_required
from portal.errors import DomainError
from portal.forms import (
    AgencyForm,
    CalendarOverrideForm,
    DeadlineForm,
    MembershipForm,
    UserCreateForm,
)
from portal.listing import Listing
from portal.models import CalendarOverride
from portal.params import query_int
from portal.web import form_page, form_status, run_service


def favicon(request: HttpRequest) -> HttpResponse:
    """Send browsers asking for /favicon.ico to the (hashed) static icon."""
    return redirect(static("portal/favicon.svg"), permanent=True)


def home(request: HttpRequest) -> HttpResponse:
    sections = extensions.render_sections(extensions.HOME_SECTIONS, request)
    return render(request, "portal/home.html", {"sections": sections})


# --- Workspace -----------------------------------------------------------------------


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "panels": extensions.render_sections(extensions.DASHBOARD_PANELS, request),
        "memberships": permissions.readable_memberships_qs(user).filter(user=user),
        "unknown_years": selectors.unknown_calendar_years(),
        "can_manage_calendar": permissions.can_manage_calendar(user),
    }
    return render(request, "portal/workspace/dashboard.html", context)


@staff_required
def agency_list(request: HttpRequest) -> HttpResponse:
    listing = Listing.from_request(request, selectors.AGENCY_SORTS)
    agencies = selectors.manageable_agencies(request.user, sort=listing.value)
    if not agencies:
        raise PermissionDenied
    context = {
        "agencies": agencies,
        "listing": listing,
        "can_import": permissions.can_import_agencies(request.user),
    }
    return render(request, "portal/workspace/agency_list.html", context)


@staff_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(
        permissions.readable_agencies_qs(request.user), code=code
    )
    if not permissions.can_work_at_agency(request.user, agency):
        raise PermissionDenied
    return _agency_page(request, agency)


def _agency_page(
    request: HttpRequest,
    agency: object,
    *,
    membership_form: MembershipForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = permissions.can_manage_agency(request.user, agency)
    context = {
        "agency": agency,
        "members": selectors.agency_members(request.user, agency),
        "history": selectors.history(request.user, agency)[:50],
        "can_manage": can_manage,
        "membership_form": (membership_form or MembershipForm())
        if can_manage
        else None,
    }
    return render(
        request, "portal/workspace/agency_detail.html", context, status=status
    )


def _agency_form_values(form: AgencyForm) -> dict[str, object]:
    data = dict(form.cleaned_data)
    data.pop("code", None)
    return data


@staff_required
def agency_create(request: HttpRequest) -> HttpResponse:
    parents = permissions.manageable_agencies_qs(request.user)
    if not parents.exists() and not request.user.is_superuser:
        raise PermissionDenied
    form = AgencyForm(request.POST or None, parents=parents)

    def created(agency) -> HttpResponse:
        messages.success(request, _("已创建机构“%(name)s”。") % {"name": agency.name})
        return redirect("workspace:agency_detail", code=agency.code)

    return form_page(
        request,
        form,
        lambda: services.agency_create(
            actor=request.user,
            code=form.cleaned_data["code"],
            **{
                k: v
                for k, v in form.cleaned_data.items()
                if k
                in {
                    "name",
                    "short_name",
                    "kind",
                    "parent",
                    "sort_order",
                    "doc_no_prefix",
                    "review_body",
                    "court",
                }
            },
        ),
        template="portal/workspace/agency_form.html",
        done=created,
    )


@staff_required
def agency_edit(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(
        permissions.manageable_agencies_qs(request.user), code=code
    )
    initial = {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "parent": agency.parent,
        "sort_order": agency.sort_order,
        "is_active": agency.is_active,
        "doc_no_prefix": agency.doc_no_prefix,
        "review_body": agency.review_body,
        "court": agency.court,
    }
    parents = permissions.manageable_agencies_qs(request.user).exclude(
        tree_path__startswith=agency.tree_path
    )
    form = AgencyForm(
        request.POST or None, initial=initial, parents=parents, editing=True
    )

    def update() -> object:
        changes = {
            k: v for k, v in _agency_form_values(form).items() if initial.get(k) != v
        }
        return services.agency_update(actor=request.user, agency=agency, **changes)

    return form_page(
        request,
        form,
        update,
        template="portal/workspace/agency_form.html",
        context={"agency": agency},
        done=lambda _value: redirect("workspace:agency_detail", code=agency.code),
        success_message=_("已保存。"),
    )


@staff_required
@require_POST
def membership_grant(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(
        permissions.manageable_agencies_qs(request.user), code=code
    )
    form = MembershipForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.membership_grant(
            actor=request.user, agency=agency, **form.cleaned_data
        ),
        form=form,
        success_message=_("已分配角色。"),
    ):
        return redirect("workspace:agency_detail", code=agency.code)
    return _agency_page(request, agency, membership_form=form, status=form_status(form))


@staff_required
@require_POST
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        permissions.readable_memberships_qs(request.user), pk=pk
    )
    revoked = run_service(
        request,
        lambda: services.membership_revoke(actor=request.user, membership=membership),
        success_message=_("已撤销角色。"),
    )
    if revoked:
        return redirect("workspace:agency_detail", code=membership.agency.code)
    return _agency_page(request, membership.agency, status=revoked.status)


@staff_required
def user_create(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(
        permissions.manageable_agencies_qs(request.user), code=code
    )
    form = UserCreateForm(request.POST or None)

    def create() -> object:
        data = form.cleaned_data
        user = services.user_create(
            actor=request.user,
            username=data["username"],
            password=data["password"],
            full_name=data["full_name"],
            email=data["email"],
            agency=agency,
        )
        services.membership_grant(
            actor=request.user, user=user, agency=agency, role=data["role"]
        )
        return user

    def created(user) -> HttpResponse:
        messages.success(request, _("已创建用户 %(u)s。") % {"u": user.username})
        return redirect("workspace:agency_detail", code=agency.code)

    return form_page(
        request,
        form,
        create,
        template="portal/workspace/user_form.html",
        context={"agency": agency},
        done=created,
    )


@staff_required
def calendar(request: HttpRequest) -> HttpResponse:
    """Show overrides, let a city coordinator add them, and explain any deadline."""
    today = dt.date.today()
    status = 200
    try:
        year = query_int(
            request.GET,
            "year",
            default=today.year,
            minimum=FIRST_SUPPORTED_DATE.year,
            maximum=LAST_SUPPORTED_DATE.year,
        )
    except DomainError as exc:
        # The page still shows (this year), with the reason and status 400.
        messages.error(request, exc.message)
        year, status = today.year, 400
    can_manage = permissions.can_manage_calendar(request.user)
    override_form = CalendarOverrideForm(
        request.POST if request.method == "POST" else None
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if override_form.is_valid() and run_service(
            request,
            lambda: services.calendar_override_set(
                actor=request.user, **override_form.cleaned_data
            ),
            form=override_form,
            success_message=_("已保存工作日调整。"),
        ):
            year = override_form.cleaned_data["date"].year
            return redirect(f"{reverse('workspace:calendar')}?year={year}")
        status = max(status, form_status(override_form))
    return _calendar_page(
        request, year=year, override_form=override_form, status=status
    )


def _calendar_page(
    request: HttpRequest,
    *,
    year: int,
    override_form: CalendarOverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = dt.date.today()
    deadline_form = DeadlineForm(request.GET if "start" in request.GET else None)
    explained = None
    if deadline_form.is_bound and deadline_form.is_valid():
        explained = default_calendar().deadline(
            deadline_form.cleaned_data["start"], deadline_form.cleaned_data["days"]
        )
    elif deadline_form.is_bound:
        status = 400
    context = {
        "year": year,
        "overrides": selectors.calendar_overrides(year),
        "can_manage": permissions.can_manage_calendar(request.user),
        "override_form": override_form or CalendarOverrideForm(),
        "deadline_form": deadline_form,
        "deadline": explained,
        "unknown_years": selectors.unknown_calendar_years(today),
        "years": range(today.year - 1, today.year + 3),
    }
    return render(request, "portal/workspace/calendar.html", context, status=status)


@staff_required
@require_POST
def calendar_override_delete(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_object_or_404(CalendarOverride, pk=pk)
    deleted = run_service(
        request,
        lambda: services.calendar_override_delete(
            actor=request.user, override=override
        ),
        success_message=_("已删除。"),
    )
    if deleted:
        return redirect(f"{reverse('workspace:calendar')}?year={override.date.year}")
    return _calendar_page(request, year=override.date.year, status=deleted.status)
