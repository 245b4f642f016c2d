"""The ``engine`` fixture: every contract test runs on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.engines.base import SearchEngine
from tests.engines.support import ENGINE_PARAMS, open_engine


@pytest.fixture(params=ENGINE_PARAMS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    """Yield an empty engine of each kind, removed after the test."""
    with open_engine(request.param, tmp_path) as opened:
        yield opened
