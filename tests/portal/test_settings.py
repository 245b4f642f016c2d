"""Configuration: production refuses to start unsafely; checks reject bad values."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from django.test import override_settings

from portal import checks
from portal.checks import check_calendar_next_year
from portal.models import CalendarOverride
from search.checks import check_search_engine

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_SECRET_KEY": "x7Gq9LmZ2vR8tK4pW1nY6cB3hJ5sD0fA_eU-iO7rT2yQ9wE4zX8cV6bN1m",
    "DJANGO_ALLOWED_HOSTS": "gongkai.example.gov.cn",
    "GONGKAI_FIELD_KEYS": "0lGQ3QTlDWuYUhhr3R8vJ5sUGDcgTLGSWeXHpvcjLDk=",
    "DJANGO_EMAIL_HOST": "smtp.example.gov.cn",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GONGKAI_"))
    }
    clean.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = _manage(
        "check", "--deploy", env={**PRODUCTION_ENV, "GONGKAI_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY is not set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS is not set"),
        ("GONGKAI_FIELD_KEYS", "GONGKAI_FIELD_KEYS is not set"),
    ],
)
def test_production_refuses_to_start_without_required_variables(
    tmp_path, missing, message
):
    env = {**PRODUCTION_ENV, "GONGKAI_VAR_DIR": str(tmp_path)}
    del env[missing]
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_smtp_without_an_email_host(tmp_path):
    """Letters would queue towards a relay that is not there: messaging.E001."""
    env = {**PRODUCTION_ENV, "GONGKAI_VAR_DIR": str(tmp_path)}
    del env["DJANGO_EMAIL_HOST"]
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "messaging.E001" in result.stderr


def test_production_turns_on_secure_transport(tmp_path):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)",
        env={**PRODUCTION_ENV, "GONGKAI_VAR_DIR": str(tmp_path)},
    )
    assert result.stdout.strip().splitlines()[-1] == "False True True True True"


def test_unknown_search_engine_is_rejected_at_start_up():
    with override_settings(SEARCH_ENGINE="solr"):
        errors = check_search_engine(None)
    assert [e.id for e in errors] == ["search.E001"]


def test_unknown_search_engine_stops_manage_py(tmp_path):
    result = _manage(
        "check", env={"SEARCH_ENGINE": "solr", "GONGKAI_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "search.E001" in result.stderr


class _Mid2099(dt.date):
    """A clock in 2099: no calendar package knows 2100."""

    @classmethod
    def today(cls) -> dt.date:
        return dt.date(2099, 6, 1)


@pytest.mark.django_db
def test_calendar_check_warns_until_next_year_has_an_override(monkeypatch):
    """With 2100 unknown the check warns, naming the year; one override for 2100
    (a coordinator entering its arrangement) silences it."""
    monkeypatch.setattr(checks, "dt", SimpleNamespace(date=_Mid2099))
    warnings = check_calendar_next_year(None)
    assert [w.id for w in warnings] == ["portal.W001"]
    assert "arrangement for 2100 is not known" in warnings[0].msg
    CalendarOverride.objects.create(
        date=dt.date(2100, 1, 1), is_workday=False, note="元旦"
    )
    assert check_calendar_next_year(None) == []


def test_malformed_boolean_variable_is_a_clear_error(tmp_path):
    result = _manage(
        "check",
        env={
            **PRODUCTION_ENV,
            "DJANGO_DEBUG": "maybe",
            "GONGKAI_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_a_field_key_that_is_not_a_fernet_key_stops_start_up(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "GONGKAI_FIELD_KEYS": "a passphrase",
        "GONGKAI_VAR_DIR": str(tmp_path),
    }
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "requests_.E001" in result.stderr
