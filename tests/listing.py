"""Helpers for the sortable workspace lists: read rows and headers off a page."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

HEADER = re.compile(
    r'<th scope="col" class="sortable"(?: aria-sort="(?P<state>\w+)")?>'
    r'<a class="sort-link" href="(?P<href>[^"]*)">(?P<label>[^<]*)<'
)


def headers(page: str) -> dict[str, dict]:
    """Return the sortable headers by their sort key (without the ``-``).

    Each header gives its ``state`` (the ``aria-sort`` value or None), the
    ``params`` its link sets and its ``label``.
    """
    found = {}
    for match in HEADER.finditer(page):
        query = urlsplit(html_lib.unescape(match["href"])).query
        params = parse_qs(query, keep_blank_values=True)
        key = params["sort"][0].lstrip("-")
        found[key] = {
            "state": match["state"],
            "params": {k: v[0] for k, v in params.items()},
            "label": match["label"],
        }
    return found


def row_order(page: str, markers: list[str]) -> list[str]:
    """Return the ``markers`` found in the table body, in the order they appear.

    The table is the one with the sortable headers, read up to its ``</tbody>``:
    a page may show other tables naming the same rows (the review cycle's
    evidence). A page without a table (an empty queue says so in words) lists
    nothing.
    """
    sortable = page.find('class="sortable"')
    start = page.find("<tbody>", max(sortable, 0))
    end = page.find("</tbody>", start)
    body = page[start:end] if start >= 0 else ""
    present = [m for m in markers if m in body]
    return sorted(present, key=body.index)


def assert_sorts(client, url: str, markers: list[str], expected: dict, **params):
    """Check every key of ``expected`` both ways through the real client.

    ``expected[key]`` is the ascending order of ``markers``, or an (ascending,
    descending) pair where empty values keep to the end either way. Each page
    must list the rows in that order, mark its column with ``aria-sort``, and link
    the column to the opposite direction with the filters in ``params`` kept.
    """
    for key, orders in expected.items():
        asc, desc = orders if isinstance(orders, tuple) else (orders, orders[::-1])
        for value, order, state, toggled in (
            (key, asc, "ascending", f"-{key}"),
            (f"-{key}", desc, "descending", key),
        ):
            response = client.get(url, {**params, "sort": value, "page": "1"})
            assert response.status_code == 200
            page = response.content.decode()
            found = row_order(page, markers)
            assert found == order, (value, found)
            head = headers(page)
            assert head[key]["state"] == state, value
            assert head[key]["params"] == {**params, "sort": toggled}, value
            others = [k for k, h in head.items() if h["state"] and k != key]
            assert others == [], value
