"""Start-up checks: SMTP with no host and an unknown delivery mode are refused."""

from __future__ import annotations

from messaging import checks

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_without_a_host_is_an_error(settings):
    """Production leaves EMAIL_HOST empty unless DJANGO_EMAIL_HOST is given."""
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = ""
    assert [e.id for e in checks.check_email_host(None)] == ["messaging.E001"]


def test_smtp_with_a_host_or_another_backend_passes(settings):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "smtp.example.gov.cn"
    assert checks.check_email_host(None) == []
    settings.EMAIL_HOST = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    assert checks.check_email_host(None) == []


def test_an_unknown_delivery_mode_is_an_error(settings):
    settings.GONGKAI_MESSAGES_DELIVERY = "cron"
    assert [e.id for e in checks.check_delivery_mode(None)] == ["messaging.E002"]
    settings.GONGKAI_MESSAGES_DELIVERY = "worker"
    assert checks.check_delivery_mode(None) == []
