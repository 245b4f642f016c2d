"""The search rebuild as a workspace job: same rebuild, progress, errors kept."""

from __future__ import annotations

import pytest

from portal.jobs import run_pending
from portal.models import Job
from search import sync
from search.jobs import ENGINE_DOWN, REBUILD
from tests.search.corpus import build_column
from tests.search.test_commands import generation

pytestmark = pytest.mark.django_db


def test_coordinator_rebuilds_from_the_workspace(matrix, search_engine, settings):
    """The job swaps in a new index, counts every document, and says so."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    build_column(matrix, search_engine)
    before = generation(search_engine)
    response = matrix.client("coordinator").post(f"/workspace/jobs/start/{REBUILD}/")
    job = Job.objects.get()
    assert response["Location"] == f"/workspace/jobs/{job.pk}/"
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.total, job.percent) == (9, 9, 100)
    assert job.message == "已索引9条信息。"
    assert generation(search_engine) != before
    assert sync.reconcile(search_engine).clean


def test_rebuild_with_the_engine_down_fails_with_the_reason(matrix, settings):
    """An unreachable engine fails the job with a message, never a success."""
    from search.engines import reset_engine

    settings.GONGKAI_JOBS_RUNNER = "worker"
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    reset_engine()
    try:
        matrix.client("superuser").post(f"/workspace/jobs/start/{REBUILD}/")
        run_pending()
    finally:
        reset_engine()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert job.error.startswith(str(ENGINE_DOWN).split("：")[0])


def test_rebuild_refused_when_the_creator_lost_the_role(matrix, settings):
    """A queued rebuild whose creator is no longer a coordinator does not run."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    matrix.client("coordinator").post(f"/workspace/jobs/start/{REBUILD}/")
    matrix.user("coordinator").memberships.all().delete()
    run_pending()
    assert Job.objects.get().state == Job.State.FAILED
