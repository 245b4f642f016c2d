"""A text field encrypted at rest (applicant identity)."""

from __future__ import annotations

from typing import Any

from django.db import models

from requests_ import crypto


class EncryptedTextField(models.TextField):
    """Store Fernet ciphertext; Python code sees the plain text.

    The ciphertext is random per write, so the field cannot be filtered on; that
    is intended: nobody looks applicants up by identity.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return value
        return crypto.encrypt(value)
