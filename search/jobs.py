"""The search rebuild as a background job, for coordinators and superusers.

It calls the same ``search.sync.rebuild`` as ``manage.py search_rebuild``;
searches keep answering from the old index until the swap.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError
from portal.jobs import JobKind, JobOutcome, Progress, register_job_kind
from portal.models import Job
from portal.permissions import is_coordinator
from search import sync
from search.engines.base import SearchEngineError

REBUILD = "search.rebuild"
ENGINE_DOWN = _("检索引擎不可用，索引未重建：%(error)s")


def _run_rebuild(job: Job, progress: Progress) -> JobOutcome:
    if not is_coordinator(job.created_by):
        raise DomainError(gettext("只有政务公开办协调员可以重建检索索引。"))
    progress.set_total(len(sync.public_ids()))
    try:
        count = sync.rebuild(progress=lambda done: progress.update(done))
    except SearchEngineError as error:
        raise DomainError(ENGINE_DOWN % {"error": error}, code="engine_down") from error
    progress.update(count, total=count)
    return JobOutcome(message=gettext("已索引%(count)d条信息。") % {"count": count})


def register() -> None:
    register_job_kind(
        JobKind(
            REBUILD,
            _("重建检索索引"),
            _run_rebuild,
            audience=is_coordinator,
            can_start=is_coordinator,
            order=50,
        )
    )
