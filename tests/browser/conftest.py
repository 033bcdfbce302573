"""Shared browser fixtures: Debian's headless chromium through Playwright, a phone-sized page, axe-core.

Never downloads a browser: tests are skipped when /usr/bin/chromium is missing.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}
DESK_VIEWPORT = {"width": 1280, "height": 900}
AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Impacts that fail a page; "moderate" and "minor" findings are printed but tolerated.
AXE_FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module (Playwright's sync API allows one running instance per thread)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context_overrides() -> dict:
    """Extra `browser.new_context` options; a test module overrides this fixture to change them."""
    return {}


def _open_page(browser, live_server, monkeypatch, options: dict):
    # The live server answers each request in its own thread; persistent connections left in
    # those threads would keep the PostgreSQL test database busy at teardown.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    context = browser.new_context(locale="vi-VN", base_url=live_server.url, **options)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    return context, tab


@pytest.fixture
def page(browser, live_server, monkeypatch, context_overrides):
    """A fresh phone-sized page (360x740, touch, Vietnamese) whose relative URLs hit the live server."""
    options = {"viewport": PHONE_VIEWPORT, "is_mobile": True, "has_touch": True, **context_overrides}
    context, tab = _open_page(browser, live_server, monkeypatch, options)
    yield tab
    context.close()


@pytest.fixture
def desk_page(browser, live_server, monkeypatch):
    """A desktop-sized page (1280x900, mouse and keyboard) for officer desks, e.g. a QR scanner."""
    context, tab = _open_page(browser, live_server, monkeypatch, {"viewport": DESK_VIEWPORT})
    yield tab
    context.close()


def sign_in(page, live_server, user) -> None:
    """Give the browser a session for `user` without going through the login form."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def axe_violations(page) -> list[dict]:
    """Run axe-core (from node_modules, installed by package-lock.json) on the page as it is now."""
    page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate("async () => await axe.run(document)")
    return result["violations"]


def assert_no_serious_axe_violations(page) -> None:
    violations = axe_violations(page)
    failing = [v for v in violations if v.get("impact") in AXE_FAILING_IMPACTS]
    summary = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]} for v in failing]
    assert not failing, f"axe: serious/critical violations on {page.url}: {json.dumps(summary, ensure_ascii=False)}"
