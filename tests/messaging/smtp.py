"""A real SMTP server for the tests (aiosmtpd), and a port where none listens."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """The aiosmtpd handler: keeps every message it accepts, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(envelope.original_content)
        self.messages.append(
            message_from_bytes(envelope.original_content, policy=policy.default)
        )
        return "250 OK"

    def subjects(self) -> list[str]:
        """Return each subject as a mail reader shows it (RFC 2047 decoded).

        The modern parser keeps the blank that Python's generator puts before a
        folded encoded word; a reader, like ``decode_header``, drops it.
        """
        return [
            str(make_header(decode_header(message_from_bytes(raw)["Subject"])))
            for raw in self.raw
        ]


def free_port() -> int:
    """Return a local port nothing listens on (a connection there is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(port: int | None = None):
    """Run a real SMTP server on 127.0.0.1 (``port`` if given); yield (inbox, port)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def use_smtp(settings, port: int) -> None:
    """Point Django's e-mail framework at the SMTP server on ``port``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "gongkai@huangpu.example.gov.cn"
