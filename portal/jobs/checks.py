"""Reject a bad job-runner setting at start-up."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import register

from portal.checks import unknown_choice
from portal.jobs.runner import RUNNERS


@register()
def check_jobs_runner(app_configs, **kwargs):
    """GONGKAI_JOBS_RUNNER must be ``thread`` or ``worker``."""
    value = getattr(settings, "GONGKAI_JOBS_RUNNER", "thread")
    return unknown_choice(
        "GONGKAI_JOBS_RUNNER",
        value,
        RUNNERS,
        hint="Set the GONGKAI_JOBS_RUNNER environment variable.",
        id="portal.E020",
    )
