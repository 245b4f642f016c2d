"""Workspace pages of background jobs: my jobs, one job, its status, its file."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import selectors
from portal.decorators import staff_required
from portal.jobs import runner
from portal.jobs.permissions import readable_jobs_qs, startable_kinds
from portal.jobs.registry import get_kind
from portal.jobs.services import job_submit
from portal.models import Job

PAGE_SIZE = 50
SCOPE_MINE = "mine"
SCOPE_ALL = "all"


def progress_text(job: Job) -> str:
    """Say how far the job got, for the page and for screen readers."""
    if job.state == Job.State.QUEUED:
        text = _("排队等待中……")
    elif job.state == Job.State.SUCCEEDED:
        text = _("已完成，共处理%(done)d项。") % {"done": job.done}
    elif job.total:
        text = _("已处理%(done)d / %(total)d项（%(percent)d%%）。") % {
            "done": job.done,
            "total": job.total,
            "percent": job.percent or 0,
        }
    elif job.state == Job.State.FAILED:
        text = _("未完成，已处理%(done)d项。") % {"done": job.done}
    else:
        text = _("已处理%(done)d项。") % {"done": job.done}
    return f"{text} {job.message}".strip() if job.message else text


def _job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(
        readable_jobs_qs(request.user).select_related("agency", "created_by"), pk=pk
    )
    if job.state == Job.State.QUEUED and runner.runner_mode() == "thread":
        # A job queued before this process started would otherwise wait for the
        # next submission to wake a runner thread.
        runner.wake_thread_runner()
    return runner.with_live_progress(job)


def _kind_label(job: Job) -> str:
    kind = get_kind(job.kind)
    return str(kind.label) if kind else job.kind


@staff_required
def job_list(request: HttpRequest) -> HttpResponse:
    """List the viewer's jobs (or every job they may see) and startable kinds."""
    runner.reap_stale()
    scope = SCOPE_ALL if request.GET.get("scope") == SCOPE_ALL else SCOPE_MINE
    jobs = readable_jobs_qs(request.user).select_related("agency", "created_by")
    if scope == SCOPE_MINE:
        jobs = jobs.filter(created_by=request.user)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    for job in page:
        job.kind_label = _kind_label(job)
        job.progress_text = progress_text(job)
    context = {"page": page, "scope": scope, "kinds": startable_kinds(request.user)}
    return render(request, "portal/workspace/job_list.html", context)


@staff_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one job's state; reloading the page shows the current state."""
    runner.reap_stale()
    job = _job(request, pk)
    context = {
        "job": job,
        "kind_label": _kind_label(job),
        "progress_text": progress_text(job),
        "error_lines": job.error.splitlines(),
        "history": selectors.history(request.user, job)[:50],
    }
    return render(request, "portal/workspace/job_detail.html", context)


@staff_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Return the job's state as JSON for the page's polling script."""
    runner.reap_stale()
    job = _job(request, pk)
    return JsonResponse(
        {
            "id": job.pk,
            "state": job.state,
            "state_label": str(job.get_state_display()),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "text": progress_text(job),
            "finished": job.is_finished,
            "error": job.error,
            "download_url": (
                reverse("workspace:job_download", args=[job.pk])
                if job.result_file
                else ""
            ),
            "result_url": job.result_url,
        },
        headers={"Cache-Control": "no-store"},
    )


@staff_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve the job's file to someone who may see the job; never a public URL."""
    job = _job(request, pk)
    if job.state != Job.State.SUCCEEDED or not job.result_file:
        raise Http404
    response = FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name or "download",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def job_start(request: HttpRequest, kind: str) -> HttpResponse:
    """Start a kind that needs no input (a rebuild) for those allowed to."""
    if get_kind(kind) is None:
        raise Http404
    allowed = {k.key: k for k in startable_kinds(request.user) if not k.start_url_name}
    if kind not in allowed:
        raise PermissionDenied
    job = job_submit(kind=kind, actor=request.user, title=str(allowed[kind].label))
    return redirect("workspace:job_detail", pk=job.pk)
