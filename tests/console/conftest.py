"""The console through Flask's test client: signing in through the fake scan, forms with their
CSRF token."""
import re

import pytest

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class ConsoleClient:
    """A browser's view of the console: a test client holding the cookie, and its CSRF token."""

    def __init__(self, client):
        self.client = client
        self.csrf = None

    def get(self, path, **kwargs):
        resp = self.client.get(path, **kwargs)
        found = CSRF.search(resp.get_data(as_text=True)) if resp.status_code == 200 else None
        if found:
            self.csrf = found.group(1)
        return resp

    def post(self, path, data=None, *, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf)
        return self.client.post(path, data=data, **kwargs)


def demo_user_id(page_html: str, openid: str) -> int:
    found = re.search(r'name="user_id" value="(\d+)">\s*<input[^>]*>\s*'
                      r'<button type="submit" class="demo-user" data-openid="' + re.escape(openid)
                      + '"', page_html)
    assert found, f"{openid} is not listed on the login page"
    return int(found.group(1))


@pytest.fixture
def console(app, world):
    """console(openid) -> a ConsoleClient signed in as that user of the test world (fake scan)."""
    def _sign_in(openid: str) -> ConsoleClient:
        browser = ConsoleClient(app.test_client())
        page = browser.get("/console/login")
        assert page.status_code == 200
        resp = browser.post("/console/login/demo",
                            {"user_id": demo_user_id(page.get_data(as_text=True), openid)})
        assert resp.status_code == 303 and resp.headers["Location"] == "/console/", resp.data
        browser.get("/console/")
        return browser
    return _sign_in
