"""Places where the other apps plug into the shared shell.

The core must not import the apps that build on it (the arrows point one way), so
navigation links, home-page sections and workspace dashboard panels are registered
by each app in its ``AppConfig.ready()`` and rendered by the core's templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = field(default=lambda user: True)


@dataclass(frozen=True)
class Section:
    """A block of a page: a template and a function giving its context."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class ObjectSection:
    """A block of a page about one object (an agency, a review task):
    ``context(request, obj)``, None when it has nothing to show."""

    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 100


PUBLIC_NAV: dict[str, NavLink] = {}
WORKSPACE_NAV: dict[str, NavLink] = {}
HOME_SECTIONS: dict[str, Section] = {}
DASHBOARD_PANELS: dict[str, Section] = {}


def _ordered(registry: dict[str, Any]) -> list[Any]:
    return sorted(registry.values(), key=lambda item: item.order)


def register_public_nav(key: str, link: NavLink) -> None:
    PUBLIC_NAV[key] = link


def register_workspace_nav(key: str, link: NavLink) -> None:
    WORKSPACE_NAV[key] = link


def register_home_section(section: Section) -> None:
    HOME_SECTIONS[section.key] = section


def register_dashboard_panel(section: Section) -> None:
    DASHBOARD_PANELS[section.key] = section


def public_nav(user: Any) -> list[NavLink]:
    return [link for link in _ordered(PUBLIC_NAV) if link.visible(user)]


def workspace_nav(user: Any) -> list[NavLink]:
    return [link for link in _ordered(WORKSPACE_NAV) if link.visible(user)]


def render_sections(
    registry: dict[str, Section] | dict[str, ObjectSection],
    request: HttpRequest,
    *about: Any,
) -> list[tuple[str, dict[str, Any]]]:
    """Return (template, context) for each section that has something to show;
    ``about`` is the object of the page for an ``ObjectSection``."""
    rendered = []
    for section in _ordered(registry):
        context = section.context(request, *about)
        if context is not None:
            rendered.append((section.template, context))
    return rendered


# Demo data: each app registers a function that adds its part of the demo, run in
# order by ``manage.py seed_demo`` after the agencies and users exist. Each must be
# idempotent.
DEMO_SEEDERS: dict[str, tuple[int, Callable[..., None]]] = {}


def register_demo_seeder(
    key: str, seeder: Callable[..., None], order: int = 100
) -> None:
    DEMO_SEEDERS[key] = (order, seeder)


def demo_seeders() -> list[Callable[..., None]]:
    return [seeder for _, seeder in sorted(DEMO_SEEDERS.values(), key=lambda s: s[0])]


# --- Public site: sitemaps, agency pages, open data ---------------------------------
# Each app registers its own sitemap (django.contrib.sitemaps.Sitemap subclass), its
# section of the public agency page (a context function taking the request and the
# agency, returning None when it has nothing to show) and the datasets it offers for
# download, so the core serves /sitemap.xml, /agencies/<code>/ and /open-data/
# without importing them.
SITEMAPS: dict[str, Any] = {}
AGENCY_SECTIONS: dict[str, ObjectSection] = {}
OPEN_DATASETS: dict[str, OpenDataset] = {}


@dataclass(frozen=True)
class DatasetField:
    """One column of an open dataset, described for the data dictionary."""

    name: str
    type: str
    meaning: str
    example: str = ""


@dataclass(frozen=True)
class OpenDataset:
    """A downloadable dataset: ``url_name`` takes the format as its ``fmt``."""

    key: str
    title: str
    description: str
    url_name: str
    fields: tuple[DatasetField, ...]
    formats: tuple[str, ...] = ("csv", "xlsx", "json")
    order: int = 100


def register_sitemap(name: str, sitemap: Any) -> None:
    SITEMAPS[name] = sitemap


def register_agency_section(section: ObjectSection) -> None:
    AGENCY_SECTIONS[section.key] = section


def register_open_dataset(dataset: OpenDataset) -> None:
    OPEN_DATASETS[dataset.key] = dataset


def open_datasets() -> list[OpenDataset]:
    return _ordered(OPEN_DATASETS)
