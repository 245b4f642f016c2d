"""Claim queued jobs, run them with a ``Progress``, and notice jobs that died.

The kinds come from ``registry`` and the progress counter from ``progress``;
neither imports this module, so the three stay free of cycles.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.errors import DomainError, error_lines
from portal.jobs.progress import Progress
from portal.jobs.registry import JobOutcome, get_kind
from portal.models import Job

logger = logging.getLogger(__name__)

RUNNERS = ("thread", "worker")
JOB_STALE = _(
    "任务在运行中断开（进程重启或崩溃），已超过%(seconds)d秒没有响应。请重新发起。"
)
JOB_UNKNOWN_KIND = _("系统中没有这种任务（%(kind)s），可能是应用未启用。")
JOB_CRASHED = _("任务出错，未能完成（%(error)s）。请联系管理员。")
IDLE_ROUNDS = 12  # the thread runner ends after this many idle polls


def runner_mode() -> str:
    return getattr(settings, "GONGKAI_JOBS_RUNNER", "thread")


def stale_seconds() -> int:
    return int(getattr(settings, "GONGKAI_JOBS_STALE_SECONDS", 300))


# Jobs running in this process, so a page served by the same process shows their
# progress even while SQLite's single write lock keeps the reporter waiting.
_LIVE: dict[int, Progress] = {}


def with_live_progress(job: Job) -> Job:
    """Overlay the in-memory counters of ``job`` if it runs in this process."""
    progress = _LIVE.get(job.pk)
    if progress is not None and job.state == Job.State.RUNNING:
        values = progress.snapshot()
        if values["done"] >= job.done:
            job.done, job.total, job.message = (
                values["done"],
                values["total"],
                values["message"],
            )
    return job


# --- claiming and finishing -----------------------------------------------------------


def reap_stale(now: dt.datetime | None = None) -> int:
    """Mark failed the running jobs whose heartbeat stopped; return how many."""
    now = now or timezone.now()
    limit = stale_seconds()
    cutoff = now - dt.timedelta(seconds=limit)
    count = 0
    for job_id in Job.objects.filter(
        state=Job.State.RUNNING, heartbeat_at__lt=cutoff
    ).values_list("pk", flat=True):
        with transaction.atomic():
            job = (
                Job.objects.select_for_update()
                .filter(pk=job_id, state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
                .first()
            )
            if job is None:
                continue
            _fail(job, str(JOB_STALE % {"seconds": limit}), now=now)
            count += 1
    return count


def _audit(job: Job, verb: str, *, note: str = "", **after: object) -> None:
    """Record a step of ``job`` in the audit trail, with its kind and state."""
    audit.record(
        actor=job.created_by,
        verb=verb,
        obj=job,
        agency=job.agency,
        after={"kind": job.kind, "state": job.state, **after},
        note=note,
    )


def claim_next() -> Job | None:
    """Take the oldest queued job and mark it running, or return None."""
    with transaction.atomic():
        queued = Job.objects.filter(state=Job.State.QUEUED).order_by("created_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        job = queued.first()
        if job is None:
            return None
        now = timezone.now()
        job.state = Job.State.RUNNING
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["state", "started_at", "heartbeat_at"])
        _audit(job, "job.start")
    return job


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        lines = [exc.message]
        lines.extend(error_lines(exc))
        return "\n".join(lines)
    return str(JOB_CRASHED % {"error": f"{type(exc).__name__}: {exc}"[:500]})


@transaction.atomic
def _fail(job: Job, error: str, *, now: dt.datetime | None = None) -> None:
    job.state = Job.State.FAILED
    job.error = error
    job.finished_at = now or timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    _audit(job, "job.fail", note=error[:1000])


def _drop_input(job: Job) -> None:
    """Delete the uploaded file once the job is over: it may hold personal data."""
    if job.input_file:
        job.input_file.delete(save=False)


@transaction.atomic
def _succeed(job: Job, progress: Progress, outcome: JobOutcome | None) -> None:
    outcome = outcome or JobOutcome()
    values = progress.snapshot()
    job.state = Job.State.SUCCEEDED
    job.total = values["total"] if values["total"] is not None else values["done"]
    job.done = max(values["done"], job.total or 0)
    job.message = str(outcome.message or values["message"])[:200]
    if outcome.file_data is not None:
        job.result_name = outcome.file_name[:200]
        job.result_file.save(
            f"{job.pk}-{outcome.file_name}", ContentFile(outcome.file_data), save=False
        )
    job.result_url = outcome.url
    job.finished_at = job.heartbeat_at = timezone.now()
    _drop_input(job)
    job.save()
    _audit(job, "job.finish", done=job.done)


def run_job(job: Job) -> Job:
    """Run one claimed job to its end; any error is kept on the job."""
    kind = get_kind(job.kind)
    if kind is None:
        _fail(job, str(JOB_UNKNOWN_KIND % {"kind": job.kind}))
        return job
    progress = Progress(job)
    progress.start()
    _LIVE[job.pk] = progress
    try:
        outcome = kind.run(job, progress)
    except Exception as exc:
        progress.stop()
        _LIVE.pop(job.pk, None)
        if not isinstance(exc, DomainError):
            logger.exception("job %s (%s) failed", job.pk, job.kind)
        job.refresh_from_db()
        values = progress.snapshot()
        job.done, job.total = values["done"], values["total"]
        job.save(update_fields=["done", "total"])
        _drop_input(job)
        _fail(job, _error_text(exc))
        return job
    progress.stop()
    _LIVE.pop(job.pk, None)
    job.refresh_from_db()
    if job.state != Job.State.RUNNING:
        return job  # reaped as stale meanwhile: keep that verdict
    _succeed(job, progress, outcome)
    return job


def run_pending(limit: int | None = None) -> int:
    """Reap stale jobs, then run queued ones (at most ``limit``); return how many."""
    reap_stale()
    ran = 0
    while limit is None or ran < limit:
        job = claim_next()
        if job is None:
            break
        run_job(job)
        ran += 1
    return ran


# --- the in-process thread runner -----------------------------------------------------

_lock = threading.Lock()
_wake = threading.Event()
_thread: threading.Thread | None = None


def _poll_seconds() -> float:
    return float(getattr(settings, "GONGKAI_JOBS_POLL_SECONDS", 5.0))


def _loop() -> None:
    global _thread
    idle = 0
    try:
        while True:
            _wake.clear()
            try:
                ran = run_pending()
            except Exception:
                logger.exception("job runner thread: run_pending failed")
                ran = 0
            if ran:
                idle = 0
                continue
            # Hold no database connection while idle (a server restart or a
            # test database teardown must not wait for this thread).
            connection.close()
            if _wake.wait(_poll_seconds()):
                idle = 0
                continue
            idle += 1
            with _lock:
                if idle >= IDLE_ROUNDS and not _wake.is_set():
                    _thread = None
                    return
    finally:
        connection.close()


def wake_thread_runner() -> threading.Thread:
    """Make sure this process has a runner thread and tell it there is work."""
    global _thread
    with _lock:
        _wake.set()
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_loop, name="job-runner", daemon=True)
            _thread.start()
        return _thread


def thread_runner_idle(timeout: float) -> bool:
    """Wait for the runner thread to end (tests); return True when it has."""
    thread = _thread
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()
