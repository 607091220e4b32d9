"""The console as a person uses it: the real app served on a free port (a thread of this process,
on the test database with the demo district loaded) and Debian's Chromium driven by Playwright.

Without /usr/bin/chromium these tests SKIP with a message saying how to install it
(scripts/install-browser.sh), unless CONSOLE_BROWSER_REQUIRED=1 (CI sets it): then they FAIL.
"""
import os
import socket
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}


def _browser_missing() -> str | None:
    if os.path.exists(CHROMIUM):
        return None
    return (f"{CHROMIUM} is missing: the console's browser tests need Debian's Chromium "
            "(sudo scripts/install-browser.sh)")


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium for the session (skipped, or failed in CI, when there is none)."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("CONSOLE_BROWSER_REQUIRED") == "1":
            pytest.fail(missing + " — and CONSOLE_BROWSER_REQUIRED=1", pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app):
    """The app, served by werkzeug in a thread on a free port; its base URL."""
    server = make_server("127.0.0.1", _free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def demo(app, db):
    """A fresh database holding the demo district, loaded as `make demo` loads it."""
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    return app


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser context (no cookies) at desktop width; its page."""
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_as(browser_page, demo):
    """console_as(openid) -> the page, signed in to the console as that user through the fake
    scan: the login page's QR code, the demo user's button (which confirms the scene as them)."""
    def _sign_in(openid: str, page=None):
        page = page or browser_page
        page.goto("/console/login")
        page.locator(f"button.demo-user[data-openid='{openid}']").click()
        page.wait_for_url("**/console/")
        return page
    return _sign_in
