"""The contract's dataclasses validate and coerce their input."""

from __future__ import annotations

import datetime as dt

import pytest

from search.engines.base import (
    INVALID_DATE,
    INVALID_DOC_TYPE,
    INVALID_DOCUMENT_ID,
    INVALID_PAGE,
    INVALID_SIZE,
    MAX_FILTER_VALUES,
    MAX_PAGE_SIZE,
    TOO_MANY_FILTER_VALUES,
    SearchDocument,
    SearchQuery,
    Sort,
)
from tests.engines.support import make_doc


def test_query_coerces_lists_and_strings() -> None:
    """Lists become tuples, sort strings become enums, years become ints."""
    query = SearchQuery(
        agencies=["sh"], years=["2019"], doc_types=["entry"], sort="newest", page=3
    )

    assert query.agencies == ("sh",)
    assert query.years == (2019,)
    assert query.doc_types == ("entry",)
    assert query.sort is Sort.NEWEST
    assert query.offset == 2 * query.size


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"page": 0}, INVALID_PAGE),
        ({"size": 0}, INVALID_SIZE),
        ({"size": MAX_PAGE_SIZE + 1}, INVALID_SIZE),
        ({"topics": ["t"] * (MAX_FILTER_VALUES + 1)}, TOO_MANY_FILTER_VALUES),
    ],
)
def test_query_rejects_bad_paging_and_filters(
    options: dict[str, object], message: str
) -> None:
    """Impossible pages and oversized filters are refused with a clear message."""
    with pytest.raises(ValueError, match=message):
        SearchQuery(**options)


def test_query_rejects_unknown_sort_and_malformed_type() -> None:
    """Only the known sort orders, and document types that are plain names.

    The engines know no document type: an app's source registers it (and the
    search form offers only registered ones), so any short lower-case name is a
    type here, and anything that could break an id or a field value is refused.
    """
    with pytest.raises(ValueError, match="random"):
        SearchQuery(sort="random")
    assert SearchQuery(doc_types=["memo"]).doc_types == ("memo",)
    for bad in ("Memo", "a:b", "", "x" * 33, "entry "):
        with pytest.raises(ValueError, match=INVALID_DOC_TYPE):
            SearchQuery(doc_types=[bad])
    with pytest.raises(ValueError, match=INVALID_DOC_TYPE):
        SearchDocument(**{**make_doc(1).__dict__, "doc_type": "a:b"})


def test_document_id_must_name_its_type_and_key() -> None:
    """Ids look like ``disclosure:42``."""
    for bad in ("42", "disclosure:", ":42"):
        with pytest.raises(ValueError, match=INVALID_DOCUMENT_ID):
            SearchDocument(**{**make_doc(1).__dict__, "id": bad})


def test_document_dates_are_dates() -> None:
    """A datetime is cut to its date; anything else is refused."""
    fields = make_doc(1).__dict__
    at_noon = SearchDocument(**{**fields, "published_on": dt.datetime(2020, 5, 1, 12)})

    assert at_noon.published_on == dt.date(2020, 5, 1)
    assert at_noon.year == 2020
    with pytest.raises(ValueError, match=INVALID_DATE):
        SearchDocument(**{**fields, "published_on": "2020-05-01"})


def test_agency_codes_include_the_agency_once() -> None:
    """Filters and facets use the path plus the agency, without duplicates."""
    doc = make_doc(1, agency="pd.x", agency_path=("pd",))
    full = make_doc(2, agency="pd.x", agency_path=("pd", "pd.x"))

    assert doc.agency_codes == ("pd", "pd.x")
    assert full.agency_codes == ("pd", "pd.x")
