"""End-to-end tests: Debian's Chromium driven by Playwright against a live server.

The browser is the machine's own (``/usr/bin/chromium``, installed by ``make test``);
Playwright never downloads one. Without a browser the tests are skipped locally and
fail in CI (``GONGKAI_REQUIRE_BROWSER=1``). A failing test leaves a screenshot in
``test-results/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
# Flags for a closed network: no background connections, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM:
        if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "Chromium is required (GONGKAI_REQUIRE_BROWSER=1) but not found"
            )
        pytest.skip("no Chromium on this machine; `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        profile = tempfile.mkdtemp(prefix="gongkai-chromium-")
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:
    """Open a fresh browser context in Chinese, screenshot on failure."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS_DIR.mkdir(exist_ok=True)
        tab.screenshot(
            path=str(RESULTS_DIR / f"{request.node.name}.png"), full_page=True
        )
    context.close()


def login(page, username: str, password: str = "pass-word-123") -> None:
    """Sign in through the real login form."""
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/workspace/")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (bundled by axe-playwright-python) and return grave violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]
