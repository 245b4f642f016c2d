"""Queue a job: the one way a view or command starts background work."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import uploads
from portal.errors import DomainError
from portal.jobs import runner
from portal.jobs.registry import get_kind
from portal.models import Agency, Job

UNKNOWN_KIND = _("没有这种后台任务。")


@transaction.atomic
def job_submit(
    *,
    kind: str,
    actor: Any,
    title: str,
    agency: Agency | None = None,
    params: dict[str, Any] | None = None,
    input_name: str = "",
    input_data: bytes | None = None,
    total: int | None = None,
) -> Job:
    """Queue a job of ``kind``; the caller has already checked the actor's right.

    An ``input_data`` file passes ``portal.uploads.admit`` before it is stored.

    In thread mode the runner thread of this process is woken after commit; in
    worker mode ``manage.py run_jobs`` picks the job up.
    """
    if get_kind(kind) is None:
        raise DomainError(UNKNOWN_KIND, code="unknown_kind")
    job = Job(
        kind=kind,
        agency=agency,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        title=str(title)[:200],
        params=params or {},
        total=total,
    )
    if input_data is not None:
        # Nothing is stored for a job that has not passed the one upload door.
        uploads.admit(input_data, input_name or "upload")
        job.input_file.save(input_name or "upload", ContentFile(input_data), save=False)
    job.save()
    if runner.runner_mode() == "thread":
        transaction.on_commit(runner.wake_thread_runner)
    return job
