"""Job pages through the real client: who sees which job, the JSON, the file."""

from __future__ import annotations

import pytest

from django.core.files.base import ContentFile

from portal.models import Job
from search.jobs import REBUILD
from tests.conftest import ACTORS, outcomes

pytestmark = pytest.mark.django_db

EXPORT = "requests_.annual_report_export"


def _job(matrix, *, agency, creator, kind=EXPORT, done=True) -> Job:
    job = Job.objects.create(
        kind=kind,
        title=f"{kind} {creator}",
        agency=agency,
        created_by=matrix.user(creator),
        state=Job.State.SUCCEEDED if done else Job.State.RUNNING,
        done=4 if done else 2,
        total=4,
    )
    if done:
        job.result_name = "报告.csv"
        job.result_file.save(f"{job.pk}-r.csv", ContentFile("\ufeff表三".encode()))
    return job


@pytest.fixture
def jobs(matrix):
    return {
        "a": _job(matrix, agency=matrix.agency_a, creator="editor_a"),
        "sub": _job(matrix, agency=matrix.subunit_a, creator="superuser"),
        "b": _job(matrix, agency=matrix.agency_b, creator="editor_b"),
        "city": _job(matrix, agency=None, creator="coordinator"),
        "rebuild": _job(matrix, agency=None, creator="coordinator", kind=REBUILD),
    }


# Which jobs each actor may see: creator, or a role covering the job's agency;
# city-wide jobs for city coordinators; the rebuild for coordinators only.
VISIBLE = {
    "anonymous": set(),
    "editor_a": {"a", "sub"},
    "editor_b": {"b"},
    "reviewer_a": {"a", "sub"},
    "coordinator": {"a", "sub", "b", "city", "rebuild"},
    "superuser": {"a", "sub", "b", "city", "rebuild"},
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("suffix", ["", "status/", "download/"])
def test_job_endpoints_permission_matrix(matrix, jobs, actor, suffix):
    """Page, status JSON and download: 200 for those who may see the job, 404
    for other staff, the login page for anonymous visitors."""
    client = matrix.client(actor)
    for name, job in jobs.items():
        response = client.get(f"/workspace/jobs/{job.pk}/{suffix}")
        if actor == "anonymous":
            assert response.status_code == 302, name
            assert "/accounts/login/" in response["Location"]
        elif name in VISIBLE[actor]:
            assert response.status_code == 200, (actor, name)
        else:
            assert response.status_code == 404, (actor, name)


@pytest.mark.parametrize("actor", ACTORS)
def test_job_list_shows_only_readable_jobs(matrix, jobs, actor):
    """The list (all I may see) holds exactly the visible jobs; "mine" only mine."""
    client = matrix.client(actor)
    response = client.get("/workspace/jobs/?scope=all")
    if actor == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    listed = {job.pk for job in response.context["page"]}
    assert listed == {jobs[name].pk for name in VISIBLE[actor]}
    mine = {job.pk for job in client.get("/workspace/jobs/").context["page"]}
    assert mine == {
        job.pk for job in jobs.values() if job.created_by == matrix.user(actor)
    }


def test_download_serves_the_private_file_as_attachment(matrix, jobs):
    """The file comes through the view (not a media URL) with its name."""
    response = matrix.client("editor_a").get(
        f"/workspace/jobs/{jobs['a'].pk}/download/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "\ufeff表三".encode()
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert not jobs["a"].result_file.url.startswith("/static/")
    assert matrix.client("editor_a").get(jobs["a"].result_file.url).status_code == 404


def test_unfinished_job_has_nothing_to_download(matrix):
    """A running job's download is a 404 even for its creator."""
    job = _job(matrix, agency=matrix.agency_a, creator="editor_a", done=False)
    client = matrix.client("editor_a")
    assert client.get(f"/workspace/jobs/{job.pk}/download/").status_code == 404


def test_status_json_reports_progress(matrix):
    """The JSON carries state, counts, percent and the sentence the page shows."""
    job = _job(matrix, agency=matrix.agency_a, creator="editor_a", done=False)
    data = matrix.client("editor_a").get(f"/workspace/jobs/{job.pk}/status/").json()
    assert data["state"] == "running"
    assert (data["done"], data["total"], data["percent"]) == (2, 4, 50)
    assert data["finished"] is False
    assert data["text"] == "已处理2 / 4项（50%）。"
    assert data["download_url"] == ""


def test_job_page_works_without_javascript(matrix):
    """The page renders the current state and a real <progress> on each load;
    the script is a static file, and there is no meta refresh."""
    job = _job(matrix, agency=matrix.agency_a, creator="editor_a", done=False)
    client = matrix.client("editor_a")
    page = client.get(f"/workspace/jobs/{job.pk}/").content.decode()
    assert '<progress id="job-progress" max="100" value="50"' in page
    assert 'aria-live="polite"' in page
    assert "已处理2 / 4项（50%）。" in page
    assert "/static/portal/js/jobs.js" in page
    assert "http-equiv" not in page
    assert "<script>" not in page
    Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED, done=4)
    page = client.get(f"/workspace/jobs/{job.pk}/").content.decode()
    assert 'value="100"' in page
    assert "jobs.js" not in page  # nothing left to follow


def test_failed_job_page_lists_each_error(matrix):
    """Every line of a failed job's error is shown."""
    job = _job(matrix, agency=matrix.agency_a, creator="editor_a", done=False)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED, error="文件有 2 处错误\n第 2 行，title 列：不能为空。"
    )
    page = matrix.client("editor_a").get(f"/workspace/jobs/{job.pk}/").content
    assert "<li>第 2 行，title 列：不能为空。</li>" in page.decode()


START_EXPECTED = outcomes(("coordinator", "superuser"), ok=302, outsider=403)


@pytest.mark.parametrize("actor", ACTORS)
def test_start_rebuild_permission_matrix(matrix, actor, settings):
    """Only coordinators and superusers start the search rebuild from the page."""
    settings.GONGKAI_JOBS_RUNNER = "worker"
    client = matrix.client(actor)
    response = client.post(f"/workspace/jobs/start/{REBUILD}/")
    assert response.status_code == START_EXPECTED[actor]
    if START_EXPECTED[actor] == 302 and actor != "anonymous":
        job = Job.objects.get()
        assert response["Location"] == f"/workspace/jobs/{job.pk}/"
        assert (job.kind, job.state) == (REBUILD, Job.State.QUEUED)
        assert job.created_by == matrix.user(actor)
    else:
        assert not Job.objects.exists()


def test_start_refuses_get_unknown_kinds_and_form_kinds(matrix):
    """Start is POST only; unknown kinds 404; kinds with a form start there."""
    client = matrix.client("superuser")
    assert client.get(f"/workspace/jobs/start/{REBUILD}/").status_code == 405
    assert client.post("/workspace/jobs/start/no.such/").status_code == 404
    response = client.post("/workspace/jobs/start/negative_list.import/")
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_job_list_offers_the_kinds_each_actor_may_start(matrix):
    """The jobs page links the import/export pages and the rebuild button."""
    editor = matrix.client("editor_a").get("/workspace/jobs/").content.decode()
    assert "/workspace/negative-list/import/" in editor
    assert "/workspace/disclosures/import/" not in editor
    assert f"/workspace/jobs/start/{REBUILD}/" not in editor
    coordinator = matrix.client("coordinator").get("/workspace/jobs/").content.decode()
    assert f"/workspace/jobs/start/{REBUILD}/" in coordinator
    assert "/workspace/disclosures/import/" in coordinator
    assert "/workspace/negative-list/import/" not in coordinator
