"""Bounded input: query-string integers and dates, and the date bounds of forms.

A date or a number the arithmetic cannot take (year 0, 9999-12-31 plus a few
days, a count of a million days) used to reach it and answer 500. Every view that
reads a number or a date from the query string, and every form or serializer date
that feeds the calendar, goes through the helpers here, so the answer is a 400
naming the parameter, in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from portal.calendar import (
    DATE_OUT_OF_RANGE,
    FIRST_SUPPORTED_DATE,
    LAST_SUPPORTED_DATE,
)
from portal.errors import DomainError

NOT_AN_INTEGER = _("“%(name)s”须为整数。")
INTEGER_OUT_OF_RANGE = _("“%(name)s”须在 %(minimum)d 至 %(maximum)d 之间。")
NOT_A_DATE = _("“%(name)s”须为日期，格式为 YYYY-MM-DD。")


def supported_date_validators(
    first: dt.date = FIRST_SUPPORTED_DATE, last: dt.date = LAST_SUPPORTED_DATE
) -> list:
    """Return validators keeping a form or serializer date within the bounds."""
    message = DATE_OUT_OF_RANGE % {
        "first": first.isoformat(),
        "last": last.isoformat(),
    }
    return [
        MinValueValidator(first, message=message),
        MaxValueValidator(last, message=message),
    ]


def query_int(
    params: Mapping[str, str],
    name: str,
    *,
    default: int,
    minimum: int,
    maximum: int,
) -> int:
    """Read an integer parameter within [minimum, maximum]; DomainError if not."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise DomainError(
            NOT_AN_INTEGER % {"name": name}, code="invalid", field=name
        ) from exc
    if not minimum <= value <= maximum:
        raise DomainError(
            INTEGER_OUT_OF_RANGE
            % {"name": name, "minimum": minimum, "maximum": maximum},
            code="out_of_range",
            field=name,
        )
    return value


def query_date(
    params: Mapping[str, str],
    name: str,
    *,
    default: dt.date | None = None,
    first: dt.date = FIRST_SUPPORTED_DATE,
    last: dt.date = LAST_SUPPORTED_DATE,
) -> dt.date | None:
    """Read an ISO date parameter within [first, last]; DomainError if not."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = dt.date.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise DomainError(
            NOT_A_DATE % {"name": name}, code="invalid", field=name
        ) from exc
    if not first <= value <= last:
        message = DATE_OUT_OF_RANGE % {
            "first": first.isoformat(),
            "last": last.isoformat(),
        }
        raise DomainError(message, code="date_out_of_range", field=name)
    return value
