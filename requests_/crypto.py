"""Encryption of applicant identity at rest.

Keys come from ``settings.GONGKAI_FIELD_KEYS``: the first key encrypts, every key
decrypts, so a key can be rotated by putting the new one first and re-saving. A
value that is not a Fernet key (32 bytes, url-safe base64) is treated as a
passphrase and turned into one with SHA-256, so any high-entropy secret works.
"""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_KEYS = "GONGKAI_FIELD_KEYS is empty: applicant identity cannot be encrypted."


@functools.lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(NO_KEYS)
    return MultiFernet([_fernet(key) for key in keys])


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError:
        derived = base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest())
        return Fernet(derived)


def cipher() -> MultiFernet:
    """Return the cipher for the configured keys (read on each call for tests)."""
    return _cipher(tuple(settings.GONGKAI_FIELD_KEYS))


def encrypt(value: str) -> str:
    """Encrypt ``value``; the empty string stays empty."""
    if not value:
        return value
    return cipher().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a token written by ``encrypt``."""
    if not token:
        return token
    try:
        return cipher().decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Applicant identity cannot be decrypted with GONGKAI_FIELD_KEYS."
        ) from exc


def keys_are_valid(keys: list[str]) -> bool:
    """Return True when there is at least one key and none is blank."""
    return bool(keys) and all(isinstance(k, str) and k.strip() for k in keys)
