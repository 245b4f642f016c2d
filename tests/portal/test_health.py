"""The /healthz endpoint for load balancers."""

from __future__ import annotations

import socket

import pytest

from django.db import OperationalError, connection
from django.test import Client, override_settings

from portal import health
from search.engines import reset_engine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fresh_engine():
    reset_engine()
    yield
    reset_engine()


@pytest.mark.django_db
def test_healthy_node_reports_ok(fresh_engine):
    """With the database and the embedded engine up, the node is ok, anonymously."""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "search": "ok"}
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


@pytest.mark.django_db
def test_search_engine_on_a_dead_port_degrades_but_serves(fresh_engine):
    """Elasticsearch unreachable: 200 "degraded", because publishing still works."""
    dead = f"http://127.0.0.1:{free_port()}"
    with override_settings(SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL=dead):
        reset_engine()
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "search": "down",
    }


@pytest.mark.django_db
def test_unopenable_embedded_index_degrades(fresh_engine, tmp_path):
    """An embedded index path that cannot be opened (a directory) degrades the node."""
    with override_settings(SEARCH_EMBEDDED_PATH=tmp_path):
        reset_engine()
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


@pytest.mark.django_db
def test_database_down_is_503(fresh_engine, monkeypatch):
    """A database that refuses queries makes the node "down" with 503."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = Client().get("/healthz")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["database"] == "down"


@pytest.fixture
def failing_probe():
    """Register a probe for a component that is down, then remove it."""

    def mail_server_is_down() -> bool:
        raise ConnectionRefusedError("smtp")

    health.register_probe("mail", mail_server_is_down)
    yield
    health._PROBES.pop("mail", None)


@pytest.mark.django_db
def test_a_registered_probe_that_fails_degrades_the_node(fresh_engine, failing_probe):
    """The core reports every registered probe; one raising counts as down."""
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "search": "ok",
        "mail": "down",
    }


def test_a_probe_cannot_take_the_core_keys():
    """ "database" and "status" belong to the core; registering them is refused."""
    for name in ("database", "status"):
        with pytest.raises(ValueError, match=name):
            health.register_probe(name, lambda: True)


def test_healthz_refuses_writes():
    """Only GET (and HEAD) are answered; a POST is 405."""
    assert Client().post("/healthz").status_code == 405
