"""Sortable, paginated workspace lists: one whitelist of sort keys per list.

A list's order lives in the URL beside its filters and page: ``?sort=key`` is
ascending, ``?sort=-key`` descending. Only whitelisted keys reach ``order_by``, so
a crafted value can never name a column or relation the list does not show, and
an unknown value falls back to the list's default order instead of failing.
Sorting only orders the rows a selector has already scoped to the viewer; it never
adds rows. Every ordering ends with the primary key in the same direction, so rows
that tie keep one order across pages and databases, and empty values sort last
either way on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.http import QueryDict

SORT_PARAM = "sort"
PAGE_PARAM = "page"
PAGE_SIZE = 50


def choice_order(name: str, values: list[str]) -> Case:
    """Return an expression ranking ``name`` by the order of ``values``.

    Statuses sort in workflow order (draft before submitted before published),
    not by the alphabet of their stored codes.
    """
    return Case(
        *[When(**{name: value}, then=Value(rank)) for rank, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class SortKeys:
    """The sort keys of one list, each mapped to the fields it orders by.

    Fields (names or expressions) are given for the ascending order; a leading
    ``-`` on a name reverses that field within the key; descending reverses all.
    ``default`` is the key (with ``-`` for descending) the list shows when the URL
    names none, or None when the selector's own order is not one of the keys.
    """

    keys: Mapping[str, tuple[Any, ...]]
    default: str | None = None

    def parse(self, raw: str | None) -> tuple[str, bool] | None:
        """Return (key, descending) for a whitelisted value, else None."""
        if not raw:
            return None
        descending = raw.startswith("-")
        key = raw[1:] if descending else raw
        if key not in self.keys:
            return None
        return key, descending

    def ordering(self, key: str, descending: bool) -> list[OrderBy]:
        """Return the ORM ordering of ``key``: nulls last, the pk breaking ties."""
        exprs = []
        for name in self.keys[key]:
            if isinstance(name, str):
                reverse = name.startswith("-") != descending
                expr = F(name.lstrip("-"))
            else:
                reverse, expr = descending, name
            exprs.append(
                expr.desc(nulls_last=True) if reverse else expr.asc(nulls_last=True)
            )
        exprs.append(F("pk").desc() if descending else F("pk").asc())
        return exprs

    def order(self, qs: QuerySet, raw: str | None) -> QuerySet:
        """Order ``qs`` by ``raw`` if whitelisted, else by the default key if any.

        With neither, ``qs`` keeps the order the selector gave it.
        """
        parsed = self.parse(raw) or self.parse(self.default)
        if parsed is None:
            return qs
        return qs.order_by(*self.ordering(*parsed))


@dataclass
class Listing:
    """The sort and paging state of one list page, read from the request's URL."""

    keys: SortKeys
    params: QueryDict
    default: str | None = None
    key: str | None = field(init=False, default=None)
    descending: bool = field(init=False, default=False)
    requested: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        parsed = self.keys.parse(self.params.get(SORT_PARAM))
        self.requested = parsed is not None
        if parsed is None:
            default = self.default if self.default is not None else self.keys.default
            parsed = self.keys.parse(default)
        if parsed is not None:
            self.key, self.descending = parsed

    @classmethod
    def from_request(
        cls, request: Any, keys: SortKeys, default: str | None = None
    ) -> Listing:
        """Read the sort of ``request``; ``default`` overrides the keys' default."""
        return cls(keys, request.GET, default)

    @property
    def value(self) -> str | None:
        """Return the sort in effect as a URL value (``key`` or ``-key``)."""
        if self.key is None:
            return None
        return f"-{self.key}" if self.descending else self.key

    def state(self, key: str) -> str | None:
        """Return the ``aria-sort`` value of the column of ``key``, or None."""
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"

    def sort_query(self, key: str) -> str:
        """Return the query string that sorts by ``key``, toggling its direction.

        The filters stay; the page goes, since a new order starts at page 1.
        """
        params = self.params.copy()
        params.pop(PAGE_PARAM, None)
        value = f"-{key}" if key == self.key and not self.descending else key
        params[SORT_PARAM] = value
        return params.urlencode()

    def page_query(self, number: int) -> str:
        """Return the query string of page ``number``, keeping sort and filters."""
        params = self.params.copy()
        params[PAGE_PARAM] = str(number)
        return params.urlencode()

    def paginate(self, items: Any, per_page: int = PAGE_SIZE) -> Page:
        """Return the requested page (the last page for a number past the end)."""
        return Paginator(items, per_page).get_page(self.params.get(PAGE_PARAM))
