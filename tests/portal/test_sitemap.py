"""sitemap.xml and robots.txt: every public page, nothing else."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.negative_list import factories as nl
from tests.public_site import publish_one_of_each

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _all_locations(client) -> list[str]:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    root = ET.fromstring(index.content)  # noqa: S314 - our own output
    assert root.tag == f"{SM}sitemapindex"
    locations = []
    for loc in root.iter(f"{SM}loc"):
        section = client.get(loc.text)
        assert section.status_code == 200, loc.text
        urlset = ET.fromstring(section.content)  # noqa: S314
        locations += [el.text for el in urlset.iter(f"{SM}loc")]
    return locations


def test_sitemap_lists_public_disclosures_and_every_list_version(matrix):
    """Every public disclosure and every published version page is listed;
    drafts, withdrawn and future-dated items are not."""
    editor, reviewer = matrix.user("editor_a"), matrix.user("reviewer_a")
    corpus = publish_one_of_each(matrix)
    first = nl.published_list(editor, reviewer, matrix.agency_a, [{}])
    second = nl.published_list(editor, reviewer, matrix.agency_a, [nl.second_wording()])

    paths = {
        "/" + url.split("/", 3)[3] for url in _all_locations(matrix.client("anonymous"))
    }

    assert corpus.public.get_absolute_url() in paths
    for hidden in (corpus.withdrawn, corpus.scheduled, corpus.draft):
        assert f"/disclosures/{hidden.index_no}/" not in paths
    code = matrix.agency_a.code
    for version in (first, second):
        assert f"/negative-lists/{code}/versions/{version.number}/" in paths
    assert f"/negative-lists/{code}/" in paths
    assert f"/agencies/{code}/" in paths
    assert "/" in paths
    assert "/open-data/" in paths
    assert not any(
        p.startswith(("/workspace/", "/admin/", "/requests/track/")) for p in paths
    )


def test_robots_txt_points_to_the_sitemap(client):
    """robots.txt keeps crawlers out of staff, admin, API and tracking pages."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/workspace/", "/admin/", "/api/", "/requests/track/"):
        assert f"Disallow: {path}" in lines
    assert "Allow: /api/docs/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
