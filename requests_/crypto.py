"""Encryption of applicant identity at rest.

Keys come from ``settings.GONGKAI_FIELD_KEYS``: the first key encrypts, every key
decrypts, so a key can be rotated by putting the new one first and re-saving.
Every key must be a real Fernet key (32 random bytes, url-safe base64, as made by
``Fernet.generate_key()``); a passphrase is refused at start-up (check
``requests_.E001``) rather than stretched into a weak key.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NO_KEYS = "GONGKAI_FIELD_KEYS is empty: applicant identity cannot be encrypted."
INVALID_KEY = (
    "GONGKAI_FIELD_KEYS holds a value that is not a Fernet key; generate one with "
    "Fernet.generate_key()."
)


@functools.lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(NO_KEYS)
    return MultiFernet([_fernet(key) for key in keys])


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError as exc:
        raise ImproperlyConfigured(INVALID_KEY) from exc


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
    """Return True when there is at least one key and every one is a Fernet key."""
    if not keys:
        return False
    try:
        for key in keys:
            Fernet(str(key).encode())
    except ValueError:
        return False
    return True
