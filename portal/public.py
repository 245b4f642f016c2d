"""Public pages of the shell that compose what the apps register: agency pages,
the open-data catalogue, the sitemap and robots.txt.

The core does not import the apps; each registers its agency-page section,
sitemap and datasets in ``portal.extensions`` from its ``AppConfig.ready()``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from portal import extensions
from portal.models import Agency
from portal.selectors import tree_order

ROBOTS_CACHE_SECONDS = 60 * 60

# Paths kept out of search engines: staff pages, the admin, the API (except its
# public documentation) and the applicant's tracking pages.
ROBOTS_DISALLOW = ("/workspace/", "/admin/", "/accounts/", "/api/", "/requests/track/")
ROBOTS_ALLOW = ("/api/docs/", "/api/schema/")

# Public pages of the shell and the apps, by URL name; a name an app does not
# provide (yet) is skipped rather than breaking the sitemap.
STATIC_PAGES = (
    "home",
    "search:column",
    "negative_list:index",
    "requests_:apply",
    "agency_index",
    "open_data",
    "api_docs",
)


class StaticPageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> list[str]:
        names = []
        for name in STATIC_PAGES:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, item: str) -> str:
        return reverse(item)


class AgencySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> Any:
        return Agency.objects.filter(is_active=True).order_by("code")

    def location(self, item: Agency) -> str:
        return reverse("agency_public", args=[item.code])


def sitemaps() -> dict[str, Any]:
    """Return the shell's sitemaps followed by those the apps registered."""
    return {
        "pages": StaticPageSitemap,
        "agencies": AgencySitemap,
        **extensions.SITEMAPS,
    }


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """List the sitemap sections (pages, agencies, and each app's)."""
    return sitemap_views.index(request, sitemaps(), sitemap_url_name="sitemap_section")


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(request, sitemaps(), section=section)


@require_GET
@cache_page(ROBOTS_CACHE_SECONDS)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Allow: {path}" for path in ROBOTS_ALLOW]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += ["Allow: /", "", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def agency_index(request: HttpRequest) -> HttpResponse:
    """List every active agency as an indented tree."""
    agencies = tree_order(list(Agency.objects.filter(is_active=True)))
    top = min((agency.depth for agency in agencies), default=0)
    rows = [(agency, agency.depth - top) for agency in agencies]
    return render(request, "portal/public/agency_index.html", {"rows": rows})


@require_GET
def agency_public(request: HttpRequest, code: str) -> HttpResponse:
    """Show an agency's column, negative list and statistics."""
    agency = get_object_or_404(
        Agency.objects.select_related("parent"), code=code, is_active=True
    )
    context = {
        "agency": agency,
        "children": agency.children.filter(is_active=True).order_by(
            "sort_order", "name"
        ),
        "sections": extensions.render_sections(
            extensions.AGENCY_SECTIONS, request, agency
        ),
    }
    return render(request, "portal/public/agency.html", context)


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """Describe each open dataset and field (the data dictionary), with links."""
    datasets = [
        {
            "dataset": dataset,
            "downloads": [
                (fmt, reverse(dataset.url_name, kwargs={"fmt": fmt}))
                for fmt in dataset.formats
            ],
        }
        for dataset in extensions.open_datasets()
    ]
    return render(request, "portal/public/open_data.html", {"datasets": datasets})
