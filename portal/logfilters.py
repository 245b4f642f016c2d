"""Keep applicants' tracking secrets out of every log line.

The status link ``/requests/track/<code>/<secret>/…`` is the applicant's only key
to their request. Django's request logger ("Not Found: <path>", "Internal Server
Error: <path>"), the development server's access line and the CSRF logger all write
the path; anyone who can read the logs could then open the request. The filter
rewrites the secret segment to ``[redacted]`` in the message, its arguments and a
formatted traceback, and lets the record through (the code stays, so a log still
says which request a failure was about).
"""

from __future__ import annotations

import logging
import re
from typing import Any

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
