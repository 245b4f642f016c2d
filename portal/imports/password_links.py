"""E-mail imported staff a link to set their first password.

Django's own password-reset machinery (``PasswordResetForm``: a one-time token
bound to the account's state) makes and mails the link; the stock form skips
accounts without a usable password, which is every imported one, so this form
names its one recipient. Sent after the import committed, never inside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User

SUBJECT_TEMPLATE = "portal/email/password_set_subject.txt"
BODY_TEMPLATE = "portal/email/password_set_email.txt"


class _OneAccountForm(PasswordResetForm):
    def __init__(self, user: User) -> None:
        super().__init__({"email": user.email})
        self.user = user

    def get_users(self, email: str) -> Iterable[User]:
        return [self.user] if self.user.is_active and self.user.email else []


def send_password_links(users: Iterable[User], *, site_url: str) -> int:
    """Mail each user with an e-mail address a password-set link; return the count.

    ``site_url`` is the portal's public address (``https://gk.example.gov.cn``).
    """
    parts = urlsplit(site_url)
    sent = 0
    for user in users:
        if not user.email:
            continue
        form = _OneAccountForm(user)
        if not form.is_valid():
            continue
        form.save(
            domain_override=parts.netloc,
            use_https=parts.scheme == "https",
            subject_template_name=SUBJECT_TEMPLATE,
            email_template_name=BODY_TEMPLATE,
            extra_email_context={"site_url": site_url.rstrip("/")},
        )
        sent += 1
    return sent
