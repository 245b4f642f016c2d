"""Public pages of the shell: agency index and pages, home page, print stylesheet."""

from __future__ import annotations

import re

import pytest

from django.utils import timezone

from requests_ import services as fx_services
from tests.negative_list import factories as nl
from tests.public_site import assert_no_applicant_data, publish_converted
from tests.requests_ import factories as fx

pytestmark = pytest.mark.django_db


def _counted(html: str, label: str) -> int:
    """Return the number of ``n 件`` the page states beside ``label``."""
    found = re.findall(rf"<dt>{label}</dt>\s*<dd>(\d+) 件</dd>", html)
    assert len(found) == 1, f"{label!r} is stated {len(found)} times"
    return int(found[0])


def test_agency_index_is_the_tree(matrix):
    """/agencies/ lists every active agency, sub-units indented below parents."""
    response = matrix.client("anonymous").get("/agencies/")
    assert response.status_code == 200
    html = response.content.decode()
    for agency in (matrix.city, matrix.agency_a, matrix.agency_b, matrix.subunit_a):
        assert f'href="/agencies/{agency.code}/"' in html
    assert html.index(matrix.agency_a.name) < html.index(matrix.subunit_a.name)
    assert 'class="depth-2"' in html


def test_agency_page_shows_column_list_and_statistics(matrix):
    """An agency page has its latest items, a filtered column link, its list
    (version and entry count) and plain counts; never applicant data."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    item = publish_converted(matrix)
    sub_item = publish_converted(matrix, agency=matrix.subunit_a)
    fx.register(editor, matrix.agency_a)
    nl.published_list(editor, reviewer, matrix.agency_a, [{}, nl.second_wording()])
    response = matrix.client("anonymous").get(f"/agencies/{matrix.agency_a.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert item.title in html
    assert f'href="{item.get_absolute_url()}"' in html
    assert f'href="{sub_item.get_absolute_url()}"' in html
    assert f"/disclosures/?agency={matrix.agency_a.code}" in html
    assert f'href="/negative-lists/{matrix.agency_a.code}/"' in html
    assert re.findall(r"共 (\d+) 个事项", html) == ["2"]
    year = timezone.localdate().year
    assert (
        f'<td data-label="年度">{year}</td><td data-label="转主动公开信息（条）">2</td>'
        in html
    )
    # Three requests registered this year (two converted, one open), two replied.
    assert _counted(html, f"{year}年收到政府信息公开申请") == 3
    assert _counted(html, f"{year}年已答复申请") == 2
    assert_no_applicant_data(html)


def test_agency_without_anything_and_unknown_agency(matrix):
    client = matrix.client("anonymous")
    response = client.get(f"/agencies/{matrix.agency_b.code}/")
    assert response.status_code == 200
    assert "该机构尚未发布负面清单" in response.content.decode()
    assert client.get("/agencies/nope/").status_code == 404


def test_home_leads_to_column_lists_and_request_form(matrix):
    """The home page links the column, per-agency counts, the lists and the form."""
    item = publish_converted(matrix)
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    nl.published_list(editor, reviewer, matrix.agency_a, [{}])
    html = matrix.client("anonymous").get("/").content.decode()
    assert 'href="/disclosures/"' in html
    assert f'href="{item.get_absolute_url()}"' in html
    assert f'href="/agencies/{matrix.agency_a.code}/"' in html
    assert f'href="/disclosures/?agency={matrix.agency_a.code}"' in html
    assert 'href="/negative-lists/"' in html
    assert 'href="/requests/new/"' in html
    assert_no_applicant_data(html)


def test_public_pages_link_the_print_stylesheet(matrix):
    """Disclosure and list pages load print.css for paper only."""
    item = publish_converted(matrix)
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    nl.published_list(editor, reviewer, matrix.agency_a, [{}])
    client = matrix.client("anonymous")
    for url in (item.get_absolute_url(), f"/negative-lists/{matrix.agency_a.code}/"):
        html = client.get(url).content.decode()
        assert 'href="/static/portal/css/print.css" media="print"' in html
    css = client.get("/static/portal/css/print.css")
    assert css.status_code == 200
    text = b"".join(css.streaming_content).decode()
    assert "break-inside: avoid" in text
    assert "attr(href)" in text


def test_home_counts_follow_publication_and_withdrawal(matrix):
    """The home page's per-agency counts are cached, but a publication or a
    withdrawal shows at once."""
    client = matrix.client("anonymous")
    assert "专栏现有 0 条信息" in client.get("/").content.decode()
    first = publish_converted(matrix)
    assert "专栏现有 1 条信息" in client.get("/").content.decode()
    publish_converted(matrix)
    html = client.get("/").content.decode()
    assert "专栏现有 2 条信息" in html
    assert f'?agency={matrix.agency_a.code}">2</a>' in html
    fx_services.disclosure_withdraw(
        actor=matrix.user("reviewer_a"), disclosure=first, reason="信息有误，予以撤回"
    )
    assert "专栏现有 1 条信息" in client.get("/").content.decode()
