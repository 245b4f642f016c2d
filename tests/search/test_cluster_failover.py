"""Several Elasticsearch nodes in ``ELASTICSEARCH_URL``: the client fails over.

* ``http://a:9200,http://b:9200`` becomes two hosts of one client, and the system
  check names each node URL it cannot use.
* A first-listed node that refuses connections costs no request: searching and
  indexing go to the next node (the suite's own node behind a closed port).
* On a real two-node cluster started by the suite (``scripts/elasticsearch
  start-cluster 2``, the same distribution as the single node, 256 MB heaps), an
  index with two shards and one replica holds every document on both nodes; the
  first-listed node is killed (``kill -9``) and searching, the public search API
  and publishing (the outbox drained to the engine after commit) go on through
  the second. The cluster is stopped at the end. This one runs in the SQLite
  pass of ``make test`` only (``once_per_run``): it tests the engine's client,
  and starting a cluster costs minutes.

Like the other fault tests these run wherever Elasticsearch can
(``ELASTICSEARCH_URL`` set, or ``GONGKAI_REQUIRE_ELASTICSEARCH=1`` as ``make test``
sets it, where a cluster that cannot start fails them); elsewhere they skip.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest
from elastic_transport import ConnectionError as TransportConnectionError

from django.core.checks import Error
from django.test import Client, override_settings

from search.checks import (
    BAD_ELASTICSEARCH_URL_ID,
    NO_ELASTICSEARCH_URL_ID,
    check_search_engine,
)
from search.engines import elasticsearch_hosts, get_engine, reset_engine
from search.engines.base import SearchEngineError, SearchQuery
from search.engines.elasticsearch import ElasticsearchEngine
from search.models import OutboxEntry
from tests.engines.support import URL_VARIABLE, unique_prefix
from tests.requests_ import factories as fx
from tests.search.test_faults import (
    SCRIPT_TIMEOUT,
    PrivateService,
    require_elasticsearch,
    started,
)
from tests.search.test_sync import publish

CLOSED_PORT_URL = "http://127.0.0.1:9"


def _node_urls(engine: ElasticsearchEngine) -> list[str]:
    nodes = engine.client.transport.node_pool.all()
    return sorted(f"{node.config.host}:{node.config.port}" for node in nodes)


class ClusterService(PrivateService):
    """A private copy of ``scripts/elasticsearch`` driving a cluster of its own."""

    timeout = SCRIPT_TIMEOUT * 2


@pytest.fixture
def engine_for(settings) -> Iterator:
    """Point the portal at ``url`` (replicas, shards) and drop the index after."""
    built: list[ElasticsearchEngine] = []

    def configure(url: str, *, shards: int = 1, replicas: int = 0):
        settings.SEARCH_ENGINE = "elasticsearch"
        settings.ELASTICSEARCH_URL = url
        settings.ELASTICSEARCH_INDEX_PREFIX = unique_prefix()
        settings.ELASTICSEARCH_SHARDS = shards
        settings.ELASTICSEARCH_REPLICAS = replicas
        reset_engine()
        engine = get_engine()
        assert isinstance(engine, ElasticsearchEngine)
        built.append(engine)
        return engine

    yield configure
    for engine in built:
        with contextlib.suppress(SearchEngineError):
            engine.drop()
    reset_engine()


# --- the setting ----------------------------------------------------------------------


def test_comma_separated_nodes_become_hosts_of_one_client(engine_for):
    """Two URLs (spaces and a trailing comma tolerated) → two hosts, in order."""
    engine = engine_for(" http://10.0.0.1:9200 ,http://10.0.0.2:9201, ")
    assert _node_urls(engine) == ["10.0.0.1:9200", "10.0.0.2:9201"]
    assert elasticsearch_hosts("http://a:1,,http://b:2") == ["http://a:1", "http://b:2"]


def test_the_system_check_names_each_node_it_cannot_use():
    """A bad node URL is search.E003 naming it; good ones pass; only commas is E002."""
    with override_settings(
        SEARCH_ENGINE="elasticsearch",
        ELASTICSEARCH_URL="http://127.0.0.1:9200,ftp://b:9200,http://c:port",
    ):
        errors = check_search_engine(None)
    assert [e.id for e in errors] == [BAD_ELASTICSEARCH_URL_ID] * 2
    assert "'ftp://b:9200'" in errors[0].msg
    assert "'http://c:port'" in errors[1].msg
    assert all(isinstance(e, Error) for e in errors)
    with override_settings(
        SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL="http://a:9200,https://b"
    ):
        assert check_search_engine(None) == []
    with override_settings(SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL=" , "):
        assert [e.id for e in check_search_engine(None)] == [NO_ELASTICSEARCH_URL_ID]


# --- a dead first node ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.elasticsearch
def test_a_first_node_that_refuses_connections_costs_no_request(
    matrix, engine_for, django_capture_on_commit_callbacks
):
    """Closed port first, the suite's node second: publishing reaches the index
    and searches answer, every time."""
    require_elasticsearch()
    live = os.environ.get(URL_VARIABLE)
    if not live:
        pytest.fail(f"{URL_VARIABLE} must name the suite's node")
    engine = engine_for(f"{CLOSED_PORT_URL},{live}")
    with django_capture_on_commit_callbacks(execute=True):
        [item] = publish(matrix, "第一节点停机时发布的预算公开通知")
    assert not OutboxEntry.objects.exists()
    for _ in range(3):  # whichever node the pool offers first
        hits = engine.search(SearchQuery(text="预算公开")).hits
        assert [hit.id for hit in hits] == [f"disclosure:{item.pk}"]


# --- a real two-node cluster ----------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[ClusterService, str]]:
    """Start a private two-node cluster for the module; stop it at the end."""
    require_elasticsearch()
    service = ClusterService(tmp_path_factory.mktemp("es-cluster"))
    yield from started(service, "start-cluster 2", "stop-cluster")


@pytest.mark.django_db
@pytest.mark.elasticsearch
@pytest.mark.once_per_run
def test_killing_the_first_listed_node_leaves_search_and_publishing_working(
    matrix, engine_for, cluster, django_capture_on_commit_callbacks
):
    """Two shards with one replica each on two nodes; node 1 killed with -9:
    searches (engine and public API) find what was published before, and a new
    publication is indexed through node 2 with nothing left in the outbox."""
    service, urls = cluster
    first, second = urls.split(",")
    engine = engine_for(urls, shards=2, replicas=1)
    with django_capture_on_commit_callbacks(execute=True):
        [before] = publish(matrix, "集群双节点发布的财政预算报告")
    assert not OutboxEntry.objects.exists()
    health = engine.client.cluster.health(
        index=engine.alias, wait_for_status="green", timeout="120s"
    )
    assert health["status"] == "green"
    assert health["number_of_nodes"] == 2
    assert health["active_shards"] == 4  # 2 primaries + 2 replicas: both nodes

    service.run("kill-node 1")
    with pytest.raises(TransportConnectionError):  # node 1 is gone, not slow
        ElasticsearchEngine(first).client.options(max_retries=0).cluster.health()

    assert engine.ping() is True
    for _ in range(3):
        hits = engine.search(SearchQuery(text="财政预算")).hits
        assert [hit.id for hit in hits] == [f"disclosure:{before.pk}"]
    response = Client().get("/api/v1/disclosures/", {"q": "财政预算"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == [before.title]

    with django_capture_on_commit_callbacks(execute=True):
        during = fx.published(
            matrix.user("editor_a"),
            matrix.user("reviewer_a"),
            matrix.agency_a,
            body="第一个节点停止后发布的垃圾分类实施方案。",
        )
    assert not OutboxEntry.objects.exists()
    hits = engine.search(SearchQuery(text="垃圾分类")).hits
    assert [hit.id for hit in hits] == [f"disclosure:{during.pk}"]
    assert engine.count() == 2
    # The survivor answers alone, too: the data is on it, not only routed by it.
    assert (
        ElasticsearchEngine(second, index_prefix="x").client.count(index=engine.alias)[
            "count"
        ]
        == 2
    )
