"""The background-job runner: thread and worker mode, progress, failure, staleness."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from portal import audit
from portal.errors import DomainError
from portal.jobs import JobKind, JobOutcome, job_submit, register_job_kind, runner
from portal.jobs.registry import JOB_KINDS
from portal.models import AuditEvent, CalendarOverride, Job

pytestmark = pytest.mark.django_db

WAIT_ROUNDS = 600  # bounded waits on other threads (each round at most 0.05 s)


class Recorder:
    """What the test kinds saw, for the assertions."""

    def __init__(self) -> None:
        self.progress = []
        self.release = threading.Event()
        self.reached = threading.Event()


@pytest.fixture
def kinds(settings):
    """Register test kinds: ok, counting, failing, crashing, waiting."""
    settings.GONGKAI_JOBS_PROGRESS_SECONDS = 0.02
    settings.GONGKAI_JOBS_POLL_SECONDS = 0.02
    seen = Recorder()

    def ok(job, progress):
        progress.update(1, total=1)
        return JobOutcome(message="完成", file_name="结果.csv", file_data=b"a,b\n")

    def counting(job, progress):
        seen.progress.append(progress)
        for _ in progress.iterate(range(10_000)):
            pass
        return None

    def failing(job, progress):
        progress.update(3, total=10)
        error = DomainError("文件有 2 处错误")
        error.errors = ["第 2 行，title 列：不能为空。", "第 5 行，agency 列：找不到"]
        raise error

    def crashing(job, progress):
        raise ZeroDivisionError("boom")

    def waiting(job, progress):
        with transaction.atomic():
            CalendarOverride.objects.create(
                date=dt.date(2030, 1, 1), is_workday=True, note="在事务中"
            )
            progress.update(5, total=10, message="一半")
            seen.reached.set()
            seen.release.wait(30)
        return None

    added = {
        "test.ok": ok,
        "test.counting": counting,
        "test.failing": failing,
        "test.crashing": crashing,
        "test.waiting": waiting,
    }
    for key, run in added.items():
        register_job_kind(JobKind(key, key, run))
    yield seen
    seen.release.set()
    for key in added:
        JOB_KINDS.pop(key, None)
    # A serialized-rollback flush leaves the content-type table empty but the
    # cache full; a later plain transactional test would use stale ids.
    ContentType.objects.clear_cache()


def _submit(kind: str, user=None, agency=None) -> Job:
    return job_submit(kind=kind, actor=user, agency=agency, title=kind)


def _wait_for(predicate) -> bool:
    for _ in range(WAIT_ROUNDS):
        if predicate():
            return True
        threading.Event().wait(0.05)
    return predicate()


def test_worker_mode_queues_and_run_jobs_runs(kinds, settings, matrix):
    """In worker mode submitting only queues; `run_jobs` runs it, keeps the file,
    and audits start and finish."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    job = _submit("test.ok", matrix.user("editor_a"), matrix.agency_a)
    assert job.state == Job.State.QUEUED
    call_command("run_jobs")
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total, job.percent) == (1, 1, 100)
    assert job.result_file.read() == b"a,b\n"
    assert job.result_name == "结果.csv"
    assert job.started_at <= job.finished_at
    verbs = [event.verb for event in audit.events_for(job).order_by("id")]
    assert verbs == ["job.start", "job.finish"]


def test_run_jobs_loop_stops_after_idle_polls(kinds, settings):
    """`run_jobs --loop --max-polls` runs what is queued and ends when idle."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    first, second = _submit("test.ok"), _submit("test.ok")
    call_command("run_jobs", "--loop", "--max-polls", "1", "--interval", "0")
    states = set(
        Job.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    )
    assert states == {Job.State.SUCCEEDED}


def test_failure_keeps_the_error_lines_and_progress(kinds, settings, matrix):
    """A domain error fails the job with its message and every row error kept."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    job = _submit("test.failing", matrix.user("editor_a"), matrix.agency_a)
    runner.run_pending()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error.splitlines() == [
        "文件有 2 处错误",
        "第 2 行，title 列：不能为空。",
        "第 5 行，agency 列：找不到",
    ]
    assert (job.done, job.total) == (3, 10)
    assert AuditEvent.objects.filter(object_id=str(job.pk), verb="job.fail").exists()


def test_crash_is_kept_and_the_runner_goes_on(kinds, settings):
    """An unexpected exception fails its job; the next queued job still runs."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    crashed, ok = _submit("test.crashing"), _submit("test.ok")
    assert runner.run_pending() == 2
    crashed.refresh_from_db()
    ok.refresh_from_db()
    assert crashed.state == Job.State.FAILED
    assert "ZeroDivisionError: boom" in crashed.error
    assert ok.state == Job.State.SUCCEEDED


def test_unknown_kind_fails_with_a_message(kinds, settings):
    """A job of a kind no app registers (app removed) fails instead of hanging."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    job = _submit("test.ok")
    Job.objects.filter(pk=job.pk).update(kind="gone.app")
    runner.run_pending()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "gone.app" in job.error


def test_progress_is_throttled_not_written_per_row(kinds, settings):
    """Ten thousand rows are counted in memory; the row is written a few times."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    settings.GONGKAI_JOBS_PROGRESS_SECONDS = 1.0
    job = _submit("test.counting")
    runner.run_pending()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (Job.State.SUCCEEDED, 10_000, 10_000)
    assert kinds.progress[0].writes < 100


def test_stale_running_job_is_marked_failed(kinds, settings, matrix):
    """A running job whose heartbeat stopped is failed with a clear message; a
    job with a fresh heartbeat is left alone."""
    settings.GONGKAI_JOBS_STALE_SECONDS = 60
    now = timezone.now()
    dead = Job.objects.create(
        kind="test.ok",
        title="dead",
        agency=matrix.agency_a,
        state=Job.State.RUNNING,
        started_at=now - dt.timedelta(minutes=10),
        heartbeat_at=now - dt.timedelta(seconds=61),
    )
    alive = Job.objects.create(
        kind="test.ok",
        title="alive",
        state=Job.State.RUNNING,
        started_at=now - dt.timedelta(minutes=10),
        heartbeat_at=now - dt.timedelta(seconds=30),
    )
    assert runner.reap_stale() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == Job.State.FAILED
    assert dead.error == str(runner.JOB_STALE % {"seconds": 60})
    assert dead.finished_at is not None
    assert alive.state == Job.State.RUNNING
    event = AuditEvent.objects.get(object_id=str(dead.pk), verb="job.fail")
    assert event.agency == matrix.agency_a


def test_job_page_reaps_a_stale_job(kinds, settings, matrix):
    """Opening the job page shows a dead job as failed, not running for ever."""
    settings.GONGKAI_JOBS_STALE_SECONDS = 60
    job = Job.objects.create(
        kind="test.ok",
        title="dead",
        agency=matrix.agency_a,
        created_by=matrix.user("editor_a"),
        state=Job.State.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    response = matrix.client("editor_a").get(f"/workspace/jobs/{job.pk}/status/")
    assert response.json()["state"] == Job.State.FAILED
    assert response.json()["error"] == str(runner.JOB_STALE % {"seconds": 60})


def _run_in_thread(settings, kind: str) -> Job:
    """Submit a job of ``kind`` in thread mode; once the runner is idle, reread it."""
    settings.GONGKAI_JOBS_RUNNER = "thread"
    job = _submit(kind)
    assert runner.thread_runner_idle(60)
    job.refresh_from_db()
    return job


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thread_mode_runs_the_job_after_commit(kinds, settings):
    """In thread mode (the default) the web process runs the job itself."""
    job = _run_in_thread(settings, "test.ok")
    assert job.state == Job.State.SUCCEEDED
    assert job.result_file.read() == b"a,b\n"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thread_mode_keeps_a_failure(kinds, settings):
    """In thread mode a failing job is failed with its error, not lost."""
    job = _run_in_thread(settings, "test.failing")
    assert job.state == Job.State.FAILED
    assert "第 5 行，agency 列：找不到" in job.error


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_inside_a_transaction_is_visible_while_running(kinds, settings):
    """An all-or-nothing job's progress shows while its transaction is open."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has one writer: progress waits for the commit")
    settings.GONGKAI_JOBS_RUNNER = "thread"
    job = _submit("test.waiting")
    assert kinds.reached.wait(60)
    try:
        assert _wait_for(lambda: Job.objects.get(pk=job.pk).done == 5)
        seen = Job.objects.get(pk=job.pk)
        assert (seen.state, seen.total, seen.percent) == (Job.State.RUNNING, 10, 50)
        assert seen.message == "一半"
        assert seen.heartbeat_at >= seen.started_at
    finally:
        kinds.release.set()
    assert runner.thread_runner_idle(60)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_claim_skips_a_job_locked_by_another_worker(kinds, settings):
    """Two workers never take the same job (SKIP LOCKED on PostgreSQL)."""
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("the database has no SKIP LOCKED")
    settings.GONGKAI_JOBS_RUNNER = "worker"
    first, second = _submit("test.ok"), _submit("test.ok")
    claimed = []

    def other_worker() -> None:
        try:
            claimed.append(runner.claim_next())
        finally:
            connection.close()

    with transaction.atomic():
        Job.objects.select_for_update().get(pk=first.pk)
        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join(60)
    assert [job.pk for job in claimed] == [second.pk]
    first.refresh_from_db()
    assert first.state == Job.State.QUEUED


def test_unknown_kind_cannot_be_submitted(db):
    """Submitting a kind nobody registered is refused."""
    with pytest.raises(DomainError):
        job_submit(kind="nobody.here", actor=None, title="x")


def test_bad_runner_setting_is_a_system_check_error(settings):
    """GONGKAI_JOBS_RUNNER must name a known runner."""
    from portal.jobs.checks import check_jobs_runner

    settings.GONGKAI_JOBS_RUNNER = "celery"
    assert [error.id for error in check_jobs_runner(None)] == ["portal.E020"]
    settings.GONGKAI_JOBS_RUNNER = "worker"
    assert check_jobs_runner(None) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_opening_a_queued_job_wakes_the_thread_runner(kinds, settings, matrix):
    """A job queued before a restart runs once someone opens its page."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    job = _submit("test.ok", matrix.user("editor_a"), matrix.agency_a)
    settings.GONGKAI_JOBS_RUNNER = "thread"
    response = matrix.client("editor_a").get(f"/workspace/jobs/{job.pk}/status/")
    assert response.json()["state"] == Job.State.QUEUED
    assert runner.thread_runner_idle(60)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_status_shows_live_progress_of_a_job_in_this_process(kinds, settings, matrix):
    """While a job runs in this process its page shows the counted rows, even
    when the database cannot take the progress write yet (SQLite's one writer)."""
    settings.GONGKAI_JOBS_RUNNER = "thread"
    settings.GONGKAI_JOBS_PROGRESS_SECONDS = 3600  # the reporter never writes
    client = matrix.client("editor_a")  # signs in (a write) before the job's
    job = _submit("test.waiting", matrix.user("editor_a"), matrix.agency_a)
    assert kinds.reached.wait(60)
    try:
        data = client.get(f"/workspace/jobs/{job.pk}/status/").json()
        assert (data["state"], data["done"], data["total"]) == ("running", 5, 10)
        assert data["text"] == "已处理5 / 10项（50%）。 一半"
        assert Job.objects.get(pk=job.pk).done == 0  # nothing written yet
    finally:
        kinds.release.set()
    assert runner.thread_runner_idle(60)
    assert Job.objects.get(pk=job.pk).state == Job.State.SUCCEEDED
