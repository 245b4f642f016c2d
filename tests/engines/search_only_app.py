"""The search app alone: no publishing app installed, any registered source served.

Not a ``test_*.py`` file, so the main suite does not collect it: its assertions
hold only under ``tests.engines.settings_search_only``, where
``tests/search/test_search_only.py`` adds it to ``python_files`` for a run of
the contract suite's embedded half. A source defined here (in-memory notices)
stands in for the publishing apps, so the page, the API, the outbox and the
schema are shown to work from the registry and ``Presented`` alone.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings
from rest_framework import serializers

import search
from portal.models import Agency
from search import registry, sync
from search.engines import reset_engine
from search.engines.base import SearchDocument
from search.models import OutboxEntry
from search.outbox import enqueue
from search.registry import Presented
from tests.factories import AgencyFactory

PUBLISHING_APPS = ("negative_list", "requests_")
NOTICE = "notice"


@dataclass
class Notice:
    pk: int
    title: str
    body: str
    agency: Agency
    published_at: dt.datetime


class NoticeSource:
    """A document source kept in memory: what an app would register."""

    doc_type = NOTICE
    label = "通知公告"
    order = 1

    def __init__(self) -> None:
        self.notices: dict[str, Notice] = {}

    def _document(self, notice: Notice) -> SearchDocument:
        return SearchDocument(
            id=f"{NOTICE}:{notice.pk}",
            doc_type=NOTICE,
            title=notice.title,
            body=notice.body,
            agency=notice.agency.code,
            agency_path=(notice.agency.code,),
            topic="",
            published_on=notice.published_at.date(),
        )

    def public_documents(self, object_ids: Iterable[str]) -> list[SearchDocument]:
        return [
            self._document(self.notices[i]) for i in object_ids if i in self.notices
        ]

    def iter_public_documents(self) -> Iterator[SearchDocument]:
        return (self._document(notice) for notice in self.notices.values())

    def public_objects(self, object_ids: Iterable[str]) -> dict[str, Notice]:
        return {i: self.notices[i] for i in object_ids if i in self.notices}

    def public_ids(self) -> Iterator[str]:
        return (f"{NOTICE}:{key}" for key in self.notices)

    def present(self, objects: Mapping[str, Notice]) -> dict[str, Presented]:
        return {
            key: Presented(
                title=notice.title,
                url=f"/notices/{notice.pk}/",
                index_no=f"N-{notice.pk}",
                snippet=notice.body,
                agency=notice.agency,
                published_at=notice.published_at,
                details=(f"通知编号 N-{notice.pk}",),
                api_fields={"number": notice.pk},
            )
            for key, notice in objects.items()
        }

    def api_schema(self) -> dict[str, serializers.Field]:
        return {
            "number": serializers.IntegerField(required=False, help_text="通知编号")
        }


def test_no_publishing_app_is_installed_or_imported() -> None:
    """Every module of the search app imports with no publishing app loaded."""
    assert not [app for app in PUBLISHING_APPS if apps.is_installed(app)]
    for module in pkgutil.walk_packages(search.__path__, "search."):
        importlib.import_module(module.name)
    loaded = sorted(
        name for name in sys.modules if name.split(".")[0] in PUBLISHING_APPS
    )
    assert loaded == []
    assert registry.sources() == []


@pytest.mark.django_db
def test_system_checks_pass_and_search_checks_its_engine() -> None:
    """``manage.py check`` passes; the search app itself rejects a bad engine."""
    call_command("check")
    with (
        override_settings(SEARCH_ENGINE="solr"),
        pytest.raises(SystemCheckError, match=r"search\.E001"),
    ):
        call_command("check")


@pytest.fixture
def notices(db, tmp_path: Path) -> Iterator[NoticeSource]:
    """Register the notice source, on a fresh embedded index, for one test."""
    source = NoticeSource()
    registry.register_source(source)
    with override_settings(
        SEARCH_ENGINE="embedded", SEARCH_EMBEDDED_PATH=tmp_path / "index.sqlite3"
    ):
        reset_engine()
        yield source
        reset_engine()
    registry._SOURCES.pop(NOTICE, None)


def _publish(source: NoticeSource, *notices: Notice) -> None:
    """Index notices the way apps do: an outbox row each, then a drain."""
    for notice in notices:
        source.notices[str(notice.pk)] = notice
        enqueue(doc_type=NOTICE, object_id=notice.pk, action="upsert")
    assert sync.drain_all().applied == len(notices)


def test_a_registered_source_is_searched_and_presented(notices) -> None:
    """The page and API show what the source presents, and only what it shows now."""
    city = AgencyFactory(code="310000000", name="上海市人民政府", short_name="上海市")
    when = dt.datetime(2024, 1, 20, 9, tzinfo=dt.UTC)
    _publish(
        notices,
        Notice(1, "关于春节放假安排的通知", "春节放假七天。", city, when),
        Notice(2, "关于春节值班的通知", "春节期间值班表。", city, when),
    )
    del notices.notices["2"]  # withdrawn: no longer public

    page = Client().get("/disclosures/", {"q": "春节"})

    assert page.status_code == 200
    html = page.content.decode()
    assert '<a href="/notices/1/">关于<mark>春节</mark>放假安排的通知</a>' in html
    assert "<span>通知编号 N-1</span>" in html
    assert "通知公告" in html
    assert "春节值班" not in html
    assert list(OutboxEntry.objects.values_list("doc_type", "object_id", "action")) == [
        (NOTICE, "2", "delete")
    ]

    assert sync.drain_all().applied == 1  # the repair row forgets notice 2
    api = Client().get("/api/v1/disclosures/", {"q": "春节"}).json()
    assert api["count"] == 1
    [result] = api["results"]
    assert (result["type"], result["title"], result["number"]) == (
        NOTICE,
        "关于春节放假安排的通知",
        1,
    )
    assert result["url"] == "http://testserver/notices/1/"
    assert result["agency"] == {"code": "310000000", "name": "上海市人民政府"}
    assert api["facets"]["type"] == [{"value": NOTICE, "count": 1}]


def test_schema_describes_the_registered_types(notices) -> None:
    """The API schema offers exactly the registered types and their fields."""
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/disclosures/"]["get"]
    [type_parameter] = [p for p in operation["parameters"] if p["name"] == "type"]
    assert type_parameter["schema"]["enum"] == [NOTICE]
    result = schema["components"]["schemas"]["ColumnSearchResult"]
    assert "number" in result["properties"]
    assert "number" not in result.get("required", [])


def test_health_asks_search_through_its_probe(notices) -> None:
    """/healthz reports the search engine the search app registered."""
    response = Client().get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "search": "ok"}
