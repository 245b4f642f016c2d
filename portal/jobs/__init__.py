"""Background jobs: long imports, exports and rebuilds, with visible progress.

The core owns the ``Job`` row, the runner and the job pages; apps register the
kinds they offer (``register_job_kind`` in their ``AppConfig.ready()``), so the
core never imports them. By default jobs run in a thread of the web process
(``GONGKAI_JOBS_RUNNER=thread``: nothing else to start for ``make run``); a
deployment with several web nodes sets ``worker`` and runs ``manage.py run_jobs
--loop``, which claims queued jobs with ``SELECT … FOR UPDATE SKIP LOCKED``.
"""

from portal.jobs.progress import Progress
from portal.jobs.registry import (
    JobKind,
    JobOutcome,
    get_kind,
    job_kinds,
    register_job_kind,
)
from portal.jobs.runner import run_pending
from portal.jobs.services import job_submit

__all__ = [
    "JobKind",
    "JobOutcome",
    "Progress",
    "get_kind",
    "job_kinds",
    "job_submit",
    "register_job_kind",
    "run_pending",
]
