"""Search needs only the core: the contract suite passes without the publishing apps.

A pytest run in a subprocess with ``tests.engines.settings_search_only`` (search
and portal installed, ``requests_`` and ``negative_list`` not) runs the contract
suite's embedded half and ``tests/engines/search_only_app.py`` (the page, API,
outbox, schema and health over a source defined in the test). Every test that
half holds under the full settings must pass there too: none may be skipped or
fail for want of an app.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.processes import run_python

ROOT = Path(__file__).resolve().parents[2]
SEARCH_ONLY = "tests.engines.settings_search_only"
APP_TESTS = ROOT / "tests" / "engines" / "search_only_app.py"
EMBEDDED_HALF = ["-m", "not elasticsearch", "tests/engines"]


def _pytest(*args: str, settings: str, tmp_path: Path) -> str:
    env = {**os.environ, "GONGKAI_VAR_DIR": str(tmp_path)}
    return run_python(
        "-m", "pytest", "-p", "no:cacheprovider", "-q", "--ds", settings, *args, env=env
    )


def _count(pattern: str, output: str) -> int:
    match = re.search(pattern, output)
    assert match, output[-2000:]
    return int(match.group(1))


def test_contract_suite_embedded_half_passes_without_the_publishing_apps(tmp_path):
    """The embedded half passes in full under search-only settings, app tests too."""
    collected = _pytest(
        "--collect-only",
        *EMBEDDED_HALF,
        settings="portal.settings.test",
        tmp_path=tmp_path / "full",
    )
    expected = _count(r"(\d+)(?:/\d+)? tests? collected", collected)
    app_tests = len(re.findall(r"^def test_", APP_TESTS.read_text(), re.MULTILINE))

    output = _pytest(
        # Named on the command line beside its directory, the file would be
        # collected once, as part of the directory, and so not at all.
        "-o",
        f"python_files=test_*.py {APP_TESTS.name}",
        *EMBEDDED_HALF,
        settings=SEARCH_ONLY,
        tmp_path=tmp_path / "alone",
    )

    summary = output.strip().splitlines()[-1]
    assert _count(r"(\d+) passed", summary) == expected + app_tests
    assert not re.search(r"failed|skipped|error", summary), summary
