"""The kinds of background job the apps offer, registered at start-up.

The runner reads the kinds from here; a kind's ``run`` receives the
``Progress`` of ``portal.jobs.progress``.  Nothing here imports the runner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.jobs.progress import Progress
from portal.models import Job


@dataclass(frozen=True)
class JobOutcome:
    """What a finished job leaves: a message, a file to download, a link."""

    message: str = ""
    file_name: str = ""
    file_data: bytes | None = None
    url: str = ""


@dataclass(frozen=True)
class JobKind:
    """One kind of job.

    ``run(job, progress)`` does the work and returns a ``JobOutcome`` (or None);
    raising marks the job failed with the error kept. ``run`` must not write
    to its own ``Job`` row: inside its transaction that would lock the row
    against the progress reporter. ``audience(user)``, when
    given, narrows who may see jobs of this kind at all (on top of the agency
    rule). ``can_start(user)`` offers the kind on the jobs page: as a button
    that starts it at once when it needs no input (a rebuild), or as a link to
    ``start_url_name``, the app's page with the form that starts it.
    """

    key: str
    label: Any
    run: Callable[[Job, Progress], JobOutcome | None]
    audience: Callable[[Any], bool] | None = None
    can_start: Callable[[Any], bool] | None = None
    start_url_name: str = ""
    order: int = 100


JOB_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    JOB_KINDS[kind.key] = kind


def get_kind(key: str) -> JobKind | None:
    return JOB_KINDS.get(key)


def job_kinds() -> list[JobKind]:
    return sorted(JOB_KINDS.values(), key=lambda kind: kind.order)
