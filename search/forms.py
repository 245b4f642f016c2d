"""Parse the public search parameters, the same way for the page and the API.

The whole query lives in GET parameters so a result page can be shared: ``q``,
``agency`` and ``topic`` (codes, repeated or comma-separated), ``year``
(repeated), ``date_from`` / ``date_to``, ``type`` (a registered document type,
the first in ``search.registry`` order by default),
``ordering`` (``relevance`` / ``newest`` / ``oldest``), ``page`` and, in the API,
``page_size``.  Bad values are reported per field so the page can show them and
the API can answer 400 naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import Agency, Topic
from portal.params import supported_date_validators
from search import registry
from search.analysis import MAX_QUERY_CHARS
from search.engines.base import (
    DEFAULT_PAGE_SIZE,
    MAX_FILTER_VALUES,
    MAX_PAGE_SIZE,
    SearchQuery,
    Sort,
)

# Deep pages cost the engines a walk (``search_after`` past 10,000 hits); nobody
# reads page 500 of a search, and a bound keeps the walk short.
MAX_PAGE = 500
MIN_YEAR = 1949
MAX_YEAR = 2100
# Publication dates searched: the same span as the year filter, so 0001-01-01 or
# 9999-12-31 is a form error naming the field, never a date an engine chokes on.
DATE_VALIDATORS = supported_date_validators(
    first=dt.date(MIN_YEAR, 1, 1), last=dt.date(MAX_YEAR, 12, 31)
)
CODE_RE = re.compile(r"^[0-9A-Za-z._-]{1,32}$")

TOO_MANY_VALUES = _("最多可选 %(n)s 项。")
BAD_CODE = _("“%(value)s”不是有效的代码。")
UNKNOWN_AGENCY = _("找不到机构“%(value)s”。")
UNKNOWN_TOPIC = _("找不到主题分类“%(value)s”。")
BAD_YEAR = _("“%(value)s”不是有效的年份。")
DATE_RANGE_REVERSED = _("结束日期不能早于开始日期。")
QUERY_TOO_LONG = _("检索词不能超过 %(n)s 个字符。")

SORT_CHOICES = [
    (Sort.RELEVANCE.value, _("相关度")),
    (Sort.NEWEST.value, _("最新发布")),
    (Sort.OLDEST.value, _("最早发布")),
]


def type_choices() -> list[tuple[str, Any]]:
    """Return (type, label) of every registered document source, in tab order.

    A callable, not a list: the sources register in ``AppConfig.ready()``, after
    this module may have been imported.
    """
    return [(source.doc_type, source.label) for source in registry.sources()]


class ValueListField(forms.Field):
    """Several values of one parameter: repeated (``a=1&a=2``) or ``a=1,2``."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        raw = [value] if isinstance(value, str) else list(value)
        values: list[str] = []
        for item in raw:
            values.extend(part.strip() for part in str(item).split(","))
        unique = list(dict.fromkeys(v for v in values if v))
        if len(unique) > MAX_FILTER_VALUES:
            raise ValidationError(TOO_MANY_VALUES % {"n": MAX_FILTER_VALUES})
        return unique


class CodeListField(ValueListField):
    """Agency or topic codes; each must exist (checked in one query)."""

    def __init__(self, model: type[Agency] | type[Topic], unknown: Any, **kwargs):
        self.model = model
        self.unknown = unknown
        super().__init__(**kwargs)

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        for code in value:
            if not CODE_RE.match(code):
                raise ValidationError(BAD_CODE % {"value": code[:40]})
        if value:
            known = set(
                self.model.objects.filter(code__in=value).values_list("code", flat=True)
            )
            missing = [code for code in value if code not in known]
            if missing:
                raise ValidationError(self.unknown % {"value": missing[0]})


class YearListField(ValueListField):
    def to_python(self, value: Any) -> list[int]:
        years = []
        for item in super().to_python(value):
            if not item.isdigit() or not MIN_YEAR <= int(item) <= MAX_YEAR:
                raise ValidationError(BAD_YEAR % {"value": item[:20]})
            years.append(int(item))
        return years


class SearchForm(forms.Form):
    """The column search: one box, filters, order and page."""

    q = forms.CharField(
        label=_("检索词"),
        required=False,
        strip=True,
        max_length=MAX_QUERY_CHARS,
        error_messages={"max_length": QUERY_TOO_LONG % {"n": MAX_QUERY_CHARS}},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    agency = CodeListField(Agency, UNKNOWN_AGENCY, label=_("发布机构"), required=False)
    topic = CodeListField(Topic, UNKNOWN_TOPIC, label=_("主题分类"), required=False)
    year = YearListField(label=_("年份"), required=False)
    date_from = forms.DateField(
        label=_("发布日期自"),
        required=False,
        validators=DATE_VALIDATORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("至"),
        required=False,
        validators=DATE_VALIDATORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    type = forms.ChoiceField(label=_("类型"), choices=type_choices, required=False)
    ordering = forms.ChoiceField(label=_("排序"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(
        label=_("页码"), required=False, min_value=1, max_value=MAX_PAGE
    )
    page_size = forms.IntegerField(
        label=_("每页条数"), required=False, min_value=1, max_value=MAX_PAGE_SIZE
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", DATE_RANGE_REVERSED)
        return cleaned

    def search_query(self, *, facets: bool = True) -> SearchQuery:
        """Return the engine query of a valid form.

        Without text, relevance means nothing: the engines then list newest
        first, and so does the default order shown.
        """
        data = self.cleaned_data
        text = data.get("q") or ""
        sort = data.get("ordering") or (Sort.RELEVANCE if text else Sort.NEWEST)
        return SearchQuery(
            text=text,
            agencies=tuple(data.get("agency") or ()),
            topics=tuple(data.get("topic") or ()),
            years=tuple(data.get("year") or ()),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            doc_types=(self.doc_type,) if self.doc_type else (),
            sort=sort,
            page=data.get("page") or 1,
            size=data.get("page_size") or DEFAULT_PAGE_SIZE,
            facets=facets,
        )

    @property
    def doc_type(self) -> str:
        """Return the selected tab (the first registered type by default)."""
        value = getattr(self, "cleaned_data", {}).get("type")
        return value or registry.default_doc_type()
