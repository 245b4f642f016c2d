"""Serializer fields shared by the API modules of every app."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's ``SlugRelatedField`` that refuses a NUL character before the lookup.

    PostgreSQL refuses NUL in text, so ``code="\\x00"`` would raise a database
    error (500) instead of "no such object" (found by fuzzing the API). DRF's
    ``CharField`` already refuses NUL; its related fields do not.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """DRF's ``PrimaryKeyRelatedField``, refusing NUL as above (text keys)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)
