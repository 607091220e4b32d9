"""The public pages' micro-cache: the anonymous wall and the menu are served from a worker's cache
for PUBLIC_CACHE_S seconds; a logged-in caller's wall is always fresh and shaped for them."""
import pytest

from server.extensions import db
from tests.conftest import TEST_SECRET
from tests.factories import make_wish


@pytest.fixture
def cached(app, world):
    from server import create_app
    return create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "RATELIMIT_ENABLED": False,
                       "PUBLIC_CACHE_S": 60}).test_client()


def _ids(resp):
    return {w["id"] for w in resp.get_json()}


def test_anonymous_wall_is_cached_and_logged_in_wall_is_fresh(cached, world, login):
    first = cached.get("/api/v1/wishes")
    new = make_wish(world, status="open", title="新心愿")
    db.session.commit()
    again = cached.get("/api/v1/wishes")
    assert again.get_data() == first.get_data() and new.id not in _ids(again)
    assert again.headers["X-Pagination"] == first.headers["X-Pagination"]
    assert new.id in _ids(cached.get("/api/v1/wishes?page=1"))  # another page key: fresh
    fresh = cached.get("/api/v1/wishes", headers=login("resident2"))
    assert new.id in _ids(fresh)


def test_menu_is_cached_for_everyone(cached, world, login):
    first = cached.get("/api/v1/services")
    assert cached.get("/api/v1/services", headers=login("resident")).get_data() == first.get_data()


def test_suite_app_does_not_cache(client, world):
    before = _ids(client.get("/api/v1/wishes"))
    new = make_wish(world, status="open")
    db.session.commit()
    assert _ids(client.get("/api/v1/wishes")) == before | {new.id}
