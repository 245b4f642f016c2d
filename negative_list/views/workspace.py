"""Staff pages: drafting, reviewing, publishing, review cycles, catalogue, import.

Every page parses input, calls one service or selector, and renders. Objects are
fetched through the scopers, so another agency's entry is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from negative_list import jobs, lint, permissions, selectors, services, usage
from negative_list.forms import (
    AmendForm,
    CycleForm,
    EntryForm,
    ExportForm,
    ImportForm,
    InterpretationForm,
    ProvisionForm,
    PublishForm,
    ReasonForm,
    TaskForm,
)
from negative_list.models import Entry, Provision, ReviewCycle, ReviewTask
from negative_list.services.workflow import CYCLE_TRANSITIONS, CycleAction
from portal import selectors as core_selectors
from portal.decorators import staff_required
from portal.extensions import render_sections
from portal.jobs import job_submit
from portal.listing import Listing
from portal.models import Agency
from portal.web import form_page, form_status, import_page, run_service
from portal.workflow import actions_elsewhere, allowed_actions


def _entry(request: HttpRequest, pk: int) -> Entry:
    return get_object_or_404(
        permissions.readable_entries_qs(request.user).select_related(
            "agency", "latest_version__category"
        ),
        pk=pk,
    )


def _staff_agency(request: HttpRequest, code: str) -> Agency:
    return get_object_or_404(permissions.staff_agencies_qs(request.user), code=code)


@staff_required
def workspace(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in Entry.Status.values:
        status = None
    listing = Listing.from_request(request, selectors.ENTRY_SORTS)
    entries = selectors.entries_for(request.user, status=status, sort=listing.value)
    context = {
        "page": listing.paginate(entries),
        "listing": listing,
        "status": status,
        "statuses": Entry.Status.choices,
        "can_draft": permissions.draftable_agencies_qs(request.user).exists(),
        "publishable": permissions.publishable_agencies_qs(request.user),
        "editable": permissions.interpretation_agencies_qs(request.user),
    }
    return render(request, "negative_list/workspace/index.html", context)


@staff_required
def entry_create(request: HttpRequest) -> HttpResponse:
    agencies = permissions.draftable_agencies_qs(request.user)
    if not agencies.exists():
        raise PermissionDenied
    form = EntryForm(request.POST or None, agencies=agencies)

    def created(entry: Entry) -> HttpResponse:
        messages.success(request, _("已保存草稿 %(code)s。") % {"code": entry.code})
        return redirect("negative_list:entry_detail", pk=entry.pk)

    return form_page(
        request,
        form,
        lambda: services.entry_create(
            actor=request.user,
            agency=form.cleaned_data["agency"],
            content=form.content(),
        ),
        template="negative_list/workspace/entry_form.html",
        done=created,
    )


@staff_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_page(request, _entry(request, pk))


def _entry_page(
    request: HttpRequest, entry: Entry, *, status: int = 200
) -> HttpResponse:
    version = entry.latest_version
    context = {
        "entry": entry,
        "version": version,
        "versions": entry.versions.select_related("category", "author", "reviewed_by"),
        "findings": lint.check_version(version),
        "actions": allowed_actions(services.ENTRY_TRANSITIONS, entry, request.user),
        # Publishing happens on the list's publish page: named there as next step.
        "elsewhere": actions_elsewhere(services.ENTRY_TRANSITIONS, entry, request.user),
        "own_work": permissions.is_own_work(request.user, version),
        "return_form": ReasonForm(),
        "amend_form": AmendForm(),
        "history": core_selectors.history(request.user, entry)[:50],
    }
    return render(
        request, "negative_list/workspace/entry_detail.html", context, status=status
    )


@staff_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    if not permissions.can_edit_entry(request.user, entry):
        raise PermissionDenied
    form = EntryForm(
        request.POST or None, initial=EntryForm.initial_for(entry.latest_version)
    )
    return form_page(
        request,
        form,
        lambda: services.entry_update(
            actor=request.user, entry=entry, content=form.content()
        ),
        template="negative_list/workspace/entry_form.html",
        context={"entry": entry},
        done=lambda _value: redirect("negative_list:entry_detail", pk=entry.pk),
        success_message=_("已保存。"),
    )


def _entry_action(call, done: str):
    """Make the POST view of one entry action: ``call(user, entry, post)``.

    Success goes back to the entry's page with ``done``; a refusal re-renders it.
    """

    @require_POST
    @staff_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        entry = _entry(request, pk)
        acted = run_service(
            request,
            lambda: call(request.user, entry, request.POST),
            success_message=str(done),
        )
        if acted:
            return redirect("negative_list:entry_detail", pk=entry.pk)
        return _entry_page(request, entry, status=acted.status)

    return view


entry_submit = _entry_action(
    lambda user, entry, post: services.entry_submit(actor=user, entry=entry),
    gettext_lazy("已提交审核。"),
)
entry_approve = _entry_action(
    lambda user, entry, post: services.entry_approve(actor=user, entry=entry),
    gettext_lazy("已通过合法性审查。"),
)
entry_return = _entry_action(
    lambda user, entry, post: services.entry_return(
        actor=user, entry=entry, reason=post.get("reason", "")
    ),
    gettext_lazy("已退回修改。"),
)
entry_amend = _entry_action(
    lambda user, entry, post: services.entry_amend(
        actor=user, entry=entry, change_note=post.get("change_note", "")
    ),
    gettext_lazy("已创建修订稿，请修改后提交审核。"),
)


@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    agencies = selectors.review_agencies(request.user)
    agency = agencies.filter(code=request.GET.get("agency") or "").first()
    listing = Listing.from_request(request, selectors.REVIEW_QUEUE_SORTS)
    page = listing.paginate(
        selectors.awaiting_my_review(request.user, agency=agency, sort=listing.value)
    )
    rows = [(entry, lint.check_version(entry.latest_version)) for entry in page]
    context = {
        "rows": rows,
        "page": page,
        "listing": listing,
        "agencies": agencies,
        "agency": agency,
    }
    return render(request, "negative_list/workspace/review_queue.html", context)


@staff_required
def publish(request: HttpRequest, code: str) -> HttpResponse:
    agency = _staff_agency(request, code)
    if not permissions.can_publish_list(request.user, agency):
        raise PermissionDenied
    form = PublishForm(request.POST or None)

    def published(version) -> HttpResponse:
        messages.success(request, version.summary_text)
        return redirect(
            "negative_list:version", code=agency.code, number=version.number
        )

    context = {
        "agency": agency,
        "approved": selectors.entries_for(
            request.user, status=Entry.Status.APPROVED, agency=agency
        ),
        "current": selectors.current_list_version(agency),
    }
    return form_page(
        request,
        form,
        lambda: services.list_version_publish(
            actor=request.user, agency=agency, note=form.cleaned_data["note"]
        ),
        template="negative_list/workspace/publish.html",
        context=context,
        done=published,
    )


@staff_required
def interpretation_edit(request: HttpRequest, code: str) -> HttpResponse:
    agency = _staff_agency(request, code)
    if not permissions.can_edit_interpretation(request.user, agency):
        raise PermissionDenied
    current = selectors.interpretation_draft(agency)
    initial = {
        f: getattr(current, f)
        for f in ("review_basis", "adjustment_standards", "operating_procedure")
    }
    form = InterpretationForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: services.interpretation_update(
            actor=request.user, agency=agency, **form.cleaned_data
        ),
        template="negative_list/workspace/interpretation.html",
        context={"agency": agency},
        done=lambda _value: redirect("negative_list:interpretation", code=agency.code),
        success_message=_("清单解读已保存，将随下一版清单发布。"),
    )


@staff_required
def import_upload(request: HttpRequest) -> HttpResponse:
    agencies = permissions.draftable_agencies_qs(request.user)
    if not agencies.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    return import_page(
        request,
        form,
        # The whole file is checked here, so every row/column error shows on the
        # form at once; the job then writes the rows with progress.
        validate=jobs.import_validate,
        kind=jobs.IMPORT,
        title=gettext_lazy("导入负面清单：%(name)s"),
        checked=gettext_lazy("文件检查通过（%(count)d个事项），正在后台导入。"),
        template="negative_list/workspace/import.html",
    )


@staff_required
def export_start(request: HttpRequest) -> HttpResponse:
    """Export an agency's working list (every entry, any state) in a job."""
    agencies = permissions.staff_agencies_qs(request.user).order_by("tree_path")
    if not agencies.exists():
        raise PermissionDenied
    form = ExportForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        fmt = form.cleaned_data["fmt"]
        job = job_submit(
            kind=jobs.EXPORT,
            actor=request.user,
            agency=agency,
            title=_("导出负面清单：%(agency)s（%(fmt)s）")
            % {"agency": agency.display_name, "fmt": fmt.upper()},
            params={"fmt": fmt},
        )
        return redirect("workspace:job_detail", pk=job.pk)
    return render(request, "negative_list/workspace/export.html", {"form": form})


# --- Review cycles -------------------------------------------------------------------


@staff_required
def cycles(request: HttpRequest) -> HttpResponse:
    coordinator_agencies = permissions.cycle_agencies_qs(request.user)
    can_open = coordinator_agencies.exists()
    if request.method == "POST" and not can_open:
        raise PermissionDenied
    form = CycleForm(request.POST or None, agencies=coordinator_agencies)
    status = request.GET.get("status") or None
    if status not in ReviewCycle.Status.values:
        status = None
    listing = Listing.from_request(request, selectors.CYCLE_SORTS)
    context = {
        "cycles": selectors.cycles_for(request.user, status=status, sort=listing.value),
        "listing": listing,
        "status": status,
        "statuses": ReviewCycle.Status.choices,
        "form": form if can_open else None,
    }
    return form_page(
        request,
        form,
        lambda: services.review_cycle_open(actor=request.user, **form.cleaned_data),
        template="negative_list/workspace/cycles.html",
        done=lambda cycle: redirect("negative_list:cycle_detail", pk=cycle.pk),
        context=context,
        success_message=_("已开启定期评审。"),
    )


@staff_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(
        selectors.cycles_for(request.user).select_related("agency"), pk=pk
    )
    return _cycle_page(request, cycle)


def _cycle_page(
    request: HttpRequest, cycle: ReviewCycle, *, status: int = 200
) -> HttpResponse:
    shown = request.GET.get("status") or None
    if shown not in ReviewTask.Status.values:
        shown = None
    listing = Listing.from_request(request, selectors.TASK_SORTS)
    context = {
        "cycle": cycle,
        "tasks": selectors.cycle_tasks(
            request.user, cycle, status=shown, sort=listing.value
        ),
        "listing": listing,
        "status": shown,
        "statuses": ReviewTask.Status.choices,
        # The close button shows for whoever may close an open cycle; while the
        # service would refuse (tasks pending), it is disabled with the reason.
        "close_offered": CycleAction.CLOSE
        in allowed_actions(CYCLE_TRANSITIONS, cycle, request.user),
        "close_refusal": services.review_cycle_close_refusal(cycle)
        if cycle.status == ReviewCycle.Status.OPEN
        else None,
        "history": core_selectors.history(request.user, cycle)[:50],
        "evidence": render_sections(usage.CYCLE_SECTIONS, request, cycle),
    }
    return render(
        request, "negative_list/workspace/cycle_detail.html", context, status=status
    )


@require_POST
@staff_required
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(selectors.cycles_for(request.user), pk=pk)
    closed = run_service(
        request, lambda: services.review_cycle_close(actor=request.user, cycle=cycle)
    )
    if not closed:
        return _cycle_page(request, cycle, status=closed.status)
    messages.success(
        request,
        _("定期评审已结束，发布了%(count)d份清单的新版本。")
        % {"count": len(closed.value)},
    )
    return redirect("negative_list:cycle_detail", pk=cycle.pk)


@staff_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        permissions.readable_review_tasks_qs(request.user).select_related(
            "cycle", "entry", "entry_version__category", "agency"
        ),
        pk=pk,
    )
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recorded = run_service(
            request,
            lambda: services.review_task_record(
                actor=request.user, task=task, **form.cleaned_data
            ),
            form=form,
            success_message=_("已记录评审结论。"),
        )
        if recorded:
            return redirect("negative_list:cycle_detail", pk=task.cycle_id)
    context = {
        "task": task,
        "form": form if task.status == ReviewTask.Status.OPEN else None,
        "can_record": permissions.can_record_review_task(request.user, task),
        "findings": lint.check_version(task.entry_version),
        "evidence": render_sections(usage.TASK_SECTIONS, request, task),
    }
    return render(
        request,
        "negative_list/workspace/task_detail.html",
        context,
        status=form_status(form),
    )


# --- Provisions catalogue ------------------------------------------------------------


@staff_required
def provisions(request: HttpRequest) -> HttpResponse:
    can_manage = permissions.can_manage_provisions(request.user)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = ProvisionForm(request.POST or None)
    listing = Listing.from_request(request, selectors.PROVISION_SORTS)
    context = {
        "provisions": selectors.provision_catalogue(sort=listing.value),
        "listing": listing,
        "form": form if can_manage else None,
    }
    return form_page(
        request,
        form,
        lambda: services.provision_save(actor=request.user, **form.cleaned_data),
        template="negative_list/workspace/provisions.html",
        done=lambda _provision: redirect("negative_list:provisions"),
        context=context,
        success_message=_("已加入依据目录。"),
    )


@staff_required
def provision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_provisions(request.user):
        raise PermissionDenied
    provision = get_object_or_404(Provision, pk=pk)
    initial = {
        "law": provision.law,
        "article": provision.article,
        "text": provision.text,
        "in_force_from": provision.in_force_from,
        "repealed_on": provision.repealed_on,
        "exemptions": list(provision.exemptions.all()),
    }
    form = ProvisionForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: services.provision_save(
            actor=request.user, provision=provision, **form.cleaned_data
        ),
        template="negative_list/workspace/provision_form.html",
        context={"provision": provision},
        done=lambda _value: redirect("negative_list:provisions"),
        success_message=_("已保存。"),
    )
