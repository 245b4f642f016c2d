"""Keep applicants' tracking secrets out of every log line.

The status link ``/requests/track/<code>/<secret>/…`` is the applicant's only key
to their request. Django's request logger ("Not Found: <path>", "Internal Server
Error: <path>"), the development server's access line and the CSRF logger all write
the path; anyone who can read the logs could then open the request. The filter
rewrites the secret segment to ``[redacted]`` in the message, its arguments and a
formatted traceback, and lets the record through (the code stays, so a log still
says which request a failure was about).

Error reports (the mails ``mail_admins`` sends for a 500) go through
``SafeReportFilter`` and ``SafeExceptionReporter`` below, named in the settings.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REDACTED = "[redacted]"
# The secret is URL-safe base64 (``secrets.token_urlsafe``); stop at anything that
# cannot be part of a path segment as written in a log line.
TRACKING_SECRET = re.compile(r"(/requests/track/[^/\s\"'?#]+/)[^/\s\"'?#]+")


def redact(text: str) -> str:
    """Return ``text`` with every tracking secret replaced."""
    return TRACKING_SECRET.sub(rf"\1{REDACTED}", text)


def _redact_arg(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactTrackingSecrets(logging.Filter):
    """Rewrite tracking secrets in a record; never drop the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            # In place: gunicorn passes a dict subclass that answers "-" for
            # headers a request lacks; a plain copy would break its format.
            for key, value in list(record.args.items()):
                record.args[key] = _redact_arg(value)
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(v) for v in record.args)
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text once set, so the traceback is redacted too.
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info)
            )
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


# Loggers that write paths but are configured by someone else (gunicorn sets up its
# own handlers before Django loads; naming them in LOGGING would remove those).
FOREIGN_LOGGERS = ("gunicorn.access", "gunicorn.error")


def redacting_filter() -> RedactTrackingSecrets:
    """Build the filter for LOGGING, and attach one to gunicorn's loggers too."""
    instance = RedactTrackingSecrets()
    for name in FOREIGN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTrackingSecrets) for f in logger.filters):
            logger.addFilter(instance)
    return instance


# --- Error reports (mail_admins, the technical 500 page) ----------------------------

# POST fields redacted whatever their form: whoever adds an applicant field later
# names it like these. The exact names come from the settings (the apps' lists of
# identity fields, e.g. ``requests_.models.IDENTITY_FIELDS``).
SENSITIVE_POST = re.compile(
    r"applicant|name|id_?number|phone|mobile|email|address|secret|password|token"
    r"|csrf",
    re.IGNORECASE,
)
SENSITIVE_COOKIES = ("sessionid", "csrftoken")


def _configured_fields() -> set[str]:
    from django.conf import settings
    from django.utils.module_loading import import_string

    names: set[str] = set()
    for path in getattr(settings, "GONGKAI_REPORT_SENSITIVE_FIELDS", ()):
        names.update(import_string(path))
    return names


class SafeReportFilter(SafeExceptionReporterFilter):
    """Keep applicants' identity and tracking secrets out of error reports.

    With ``ADMINS`` set, every 500 mails the request to the administrators: the
    path (a status link carries the tracking secret), the POST data (the request
    form carries name, ID number, phone, e-mail and address), the cookies (a
    session id is a login) and ``META``. Django hides only what a view marks with
    ``sensitive_post_parameters``; this filter hides the applicant's fields of any
    form, the session and CSRF cookies, and secrets in every path-like value.
    """

    def is_active(self, request: Any) -> bool:
        # Also under DEBUG: a developer's error page may be shared or logged.
        return True

    def _cleanse(self, multivaluedict: Any) -> Any:
        sensitive = _configured_fields()
        cleansed = multivaluedict.copy()
        for key in cleansed:
            if key in sensitive or SENSITIVE_POST.search(key):
                cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_post_parameters(self, request: Any) -> Any:
        post = super().get_post_parameters(request)
        return self._cleanse(post) if post else post

    def get_cleansed_multivaluedict(self, request: Any, multivaluedict: Any) -> Any:
        # request.POST (or GET) seen as a frame's local variable.
        return self._cleanse(
            super().get_cleansed_multivaluedict(request, multivaluedict)
        )

    def get_safe_cookies(self, request: Any) -> dict[str, Any]:
        cookies = super().get_safe_cookies(request)
        return {
            key: self.cleansed_substitute if key in SENSITIVE_COOKIES else value
            for key, value in cookies.items()
        }

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        cleansed = {}
        for key, value in meta.items():
            if key == "HTTP_COOKIE":
                value = self.cleansed_substitute
            elif isinstance(value, str):
                value = redact(value)
            cleansed[key] = value
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [
            (name, redact(value) if isinstance(value, str) else value)
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


class SafeExceptionReporter(ExceptionReporter):
    """Django's reporter, with tracking secrets redacted in the finished report.

    The request URL and ``path_info`` lines are written by the reporter itself, not
    through the filter, so the whole text (and HTML) passes ``redact`` last.
    """

    def get_traceback_text(self) -> str:
        return redact(super().get_traceback_text())

    def get_traceback_html(self) -> str:
        return redact(super().get_traceback_html())
