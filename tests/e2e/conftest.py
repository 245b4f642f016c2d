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

    serialized = _serialized_contents()
    with sync_playwright() as playwright:
        _restore_serialized_contents(serialized)
        profile = tempfile.mkdtemp(prefix="gongkai-chromium-")
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()
        shutil.rmtree(profile, ignore_errors=True)


def _serialized_contents() -> dict[str, str]:
    from django.db import connections

    return {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all(initialized_only=True)
        if hasattr(conn, "_test_serialized_contents")
    }


def _restore_serialized_contents(serialized: dict[str, str]) -> None:
    """Carry the test databases' serialized contents over into Playwright's context.

    Playwright's sync API switches greenlets, and each greenlet has its own
    context variables, so Django hands out new connection objects afterwards. A
    database set up before the browser started would lose the copy of its
    migrated data that ``serialized_rollback`` restores after each flush.
    """
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Start each test with empty rate-limit counters (the cache is per process)."""
    from django.core.cache import cache

    cache.clear()


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


def open_action(page, label: str):
    """Open the workspace action panel ``label`` and return it."""
    panel = page.locator("details.action", has=page.locator("summary", has_text=label))
    panel.locator("summary").click()
    return panel


def reply_disclosed(page, text: str) -> None:
    """Reply （一）予以公开 with ``text`` in the 答复 panel; wait until it is saved."""
    from playwright.sync_api import expect

    panel = open_action(page, "答复")
    panel.locator("[name=outcome]").select_option(label="（一）予以公开")
    panel.locator("[name=reply_text]").fill(text)
    panel.get_by_role("button", name="答复", exact=True).click()
    expect(page.get_by_text("已保存。")).to_be_visible()


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


@pytest.fixture
def open_page(browser, live_server, request) -> Iterator[object]:
    """Return a factory of pages, each in its own browser context (own cookies).

    ``open_page("editor_a")`` signs the new context in through the login form;
    ``open_page()`` is an anonymous visitor. On failure every page opened by the
    test leaves a screenshot named after the test and the user.
    """
    opened: list[tuple[str, object, object]] = []

    def factory(username: str | None = None, *, viewport=None) -> object:
        context = browser.new_context(
            locale="zh-CN", viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        tab = context.new_page()
        tab.base_url = live_server.url
        opened.append((username or "anonymous", context, tab))
        if username:
            login(tab, username)
        return tab

    yield factory
    failed = getattr(request.node, "rep_call", None)
    for who, context, tab in opened:
        if failed is not None and failed.failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            tab.screenshot(
                path=str(RESULTS_DIR / f"{request.node.name}-{who}.png"),
                full_page=True,
            )
        context.close()


@pytest.fixture
def search_index(embedded_index) -> object:
    """The fresh embedded index of ``tests/conftest.py``, by the e2e tests' name."""
    return embedded_index


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def resident_id(first17: str) -> str:
    """Return the 18-digit resident ID number with its GB 11643 check character."""
    pairs = zip(first17, ID_WEIGHTS, strict=True)
    total = sum(int(digit) * weight for digit, weight in pairs)
    return first17 + ID_CHECK_CHARS[total % 11]


def assert_no_horizontal_scroll(page) -> None:
    """Fail if the page body is wider than the viewport (tables may scroll inside)."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1] + 1, f"page scrolls sideways: {widths}"


def focused_outline(page) -> dict:
    """Return what the focused element is and whether a focus ring is drawn."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            // Focus on a date field's calendar button sits in Chromium's own
            // shadow tree: the host no longer matches :focus and the browser
            // draws the ring on the button itself.
            const pickerButton = /^(date|datetime-local|time|month|week)$/.test(el.type)
                && !el.matches(':focus');
            return {
                tag: el.tagName.toLowerCase(),
                name: el.getAttribute('name') || el.id || el.textContent.trim(),
                visible: pickerButton
                         || (style.outlineStyle !== 'none'
                             && parseFloat(style.outlineWidth) > 0)
                         || style.boxShadow !== 'none',
            };
        }"""
    )
