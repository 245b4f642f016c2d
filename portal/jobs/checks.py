"""Reject a bad job-runner setting at start-up."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from portal.jobs.runner import RUNNERS


@register()
def check_jobs_runner(app_configs, **kwargs):
    """GONGKAI_JOBS_RUNNER must be ``thread`` or ``worker``."""
    value = getattr(settings, "GONGKAI_JOBS_RUNNER", "thread")
    if value in RUNNERS:
        return []
    return [
        Error(
            f"GONGKAI_JOBS_RUNNER is {value!r}; it must be one of: "
            + ", ".join(RUNNERS)
            + ".",
            hint="Set the GONGKAI_JOBS_RUNNER environment variable.",
            id="portal.E020",
        )
    ]
