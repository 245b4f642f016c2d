"""Public pages show published snapshots only, with the disclosability statement."""

from __future__ import annotations

import pytest

from negative_list import services
from negative_list.models import Entry
from tests.negative_list import factories

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "尚未审核的草稿事项"


@pytest.fixture
def unpublished(matrix, published, editor, reviewer):
    """A draft, a submitted, an approved entry and a pending amendment of agency A."""
    factories.draft(
        editor,
        matrix.agency_a,
        title=DRAFT_TITLE,
        scope="草稿范围内容不应公开显示的文字",
    )
    factories.submitted(
        editor,
        matrix.agency_a,
        title="已提交未审核事项",
        scope="已提交但尚未审核通过的具体范围文字",
    )
    factories.approved(
        editor,
        reviewer,
        matrix.agency_a,
        title="已审核未发布事项",
        scope="审核通过但尚未发布的具体范围文字",
    )
    entry = Entry.objects.get(code="310101000-001")
    factories.amended(editor, entry, scope="修订中尚未发布的新范围措辞内容")


def test_index_lists_agencies_with_published_lists(matrix, published, anon_client):
    response = anon_client.get("/negative-lists/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "上海市黄浦区人民政府" in body
    assert "上海市徐汇区人民政府" not in body


def test_agency_page_shows_table_interpretation_and_statement(
    matrix, editor, reviewer, anon_client
):
    services.interpretation_update(
        actor=editor,
        agency=matrix.agency_a,
        review_basis="<p>依据第十四条审核</p>",
        adjustment_standards="<p>情势变化即调整</p>",
        operating_procedure="<p>每年评审</p>",
    )
    factories.published_list(editor, reviewer, matrix.agency_a, [{}])
    body = anon_client.get("/negative-lists/310101000/").content.decode()
    assert "区政府常务会议讨论记录" in body
    assert "《中华人民共和国政府信息公开条例》第十六条第二款" in body
    assert "本清单以外的政府信息" in body
    assert "<p>依据第十四条审核</p>" in body
    assert "清单解读" in body


def test_agency_without_published_list_is_404(matrix, anon_client):
    assert anon_client.get("/negative-lists/310104000/").status_code == 404
    assert anon_client.get("/negative-lists/310104000/versions/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/negative-lists/",
        "/negative-lists/310101000/",
        "/negative-lists/310101000/versions/",
        "/negative-lists/310101000/versions/1/",
        "/api/v1/negative-lists/agencies/310101000/",
        "/api/v1/negative-lists/agencies/310101000/versions/1/",
        "/",
    ],
)
def test_unpublished_content_never_shows(matrix, unpublished, anon_client, url):
    """Drafts, submitted, approved entries and pending amendments stay private."""
    body = anon_client.get(url).content.decode()
    for text in (
        DRAFT_TITLE,
        "已提交未审核事项",
        "已审核未发布事项",
        "修订中尚未发布的新范围措辞内容",
    ):
        assert text not in body


def test_versions_and_diff_pages(matrix, first_amended, reviewer, anon_client):
    services.list_version_publish(actor=reviewer, agency=matrix.agency_a)
    versions = anon_client.get("/negative-lists/310101000/versions/").content.decode()
    assert "第2版" in versions
    assert "第1版" in versions
    diff = anon_client.get(
        "/negative-lists/310101000/diff/?from=1&to=2"
    ).content.decode()
    assert "<del>、专题会议</del>" in diff
    assert "<ins>正式</ins>" in diff
    old = anon_client.get("/negative-lists/310101000/versions/1/").content.decode()
    assert "历史版本" in old
    assert "区政府常务会议、专题会议的讨论记录" in old


def test_diff_needs_two_versions(published, anon_client):
    assert anon_client.get("/negative-lists/310101000/diff/").status_code == 404


def test_unknown_export_format_is_404(published, anon_client):
    assert (
        anon_client.get("/negative-lists/310101000/versions/1/export.pdf").status_code
        == 404
    )


def test_home_page_section_and_nav_link(published, anon_client):
    body = anon_client.get("/").content.decode()
    assert "不予公开信息负面清单" in body
    assert 'href="/negative-lists/"' in body
