"""The public pages' micro-cache: the menu is served from a worker's cache for PUBLIC_CACHE_S
seconds to everyone; the wall to anonymous callers and to logged-in callers for whom the page is
the public one. Owners, claimers and secretaries always get a fresh page shaped for them, and a
page shaped for one of them is never stored for the others."""
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


def _new_open_wish(world, owner="resident2"):
    wish = make_wish(world, owner=owner, status="open", title="新心愿")
    db.session.commit()
    return wish


def test_public_wall_is_cached_for_anonymous_and_uninvolved_callers(cached, world, login):
    first = cached.get("/api/v1/wishes")
    new = _new_open_wish(world)
    for headers in ({}, login("applicant"), login("volunteer_b")):  # none involved on page 1
        again = cached.get("/api/v1/wishes", headers=headers)
        assert again.get_data() == first.get_data() and new.id not in _ids(again)
        assert again.headers["X-Pagination"] == first.headers["X-Pagination"]
    assert new.id in _ids(cached.get("/api/v1/wishes?page=1"))  # another key: fresh


@pytest.mark.parametrize("who", ["resident", "volunteer", "secretary"])
def test_owner_claimer_and_secretary_get_a_fresh_page(cached, world, login, who):
    cached.get("/api/v1/wishes")  # the public page, cached
    new = _new_open_wish(world)
    mine = cached.get("/api/v1/wishes", headers=login(who))  # owns / has claimed / manages
    assert new.id in _ids(mine)


def test_a_page_shaped_for_its_owner_is_never_stored_for_others(cached, world, login):
    owner_view = cached.get("/api/v1/wishes", headers=login("resident"))
    names = {w["owner_name"] for w in owner_view.get_json()}
    assert "王秀英" in names  # the owner sees their own name
    public = cached.get("/api/v1/wishes")
    assert "王秀英" not in {w["owner_name"] for w in public.get_json()}


def test_menu_is_cached_for_everyone(cached, world, login):
    first = cached.get("/api/v1/services")
    assert cached.get("/api/v1/services", headers=login("resident")).get_data() == first.get_data()


def test_a_bad_token_is_still_refused(cached, world):
    assert cached.get("/api/v1/wishes", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_suite_app_does_not_cache(client, world):
    before = _ids(client.get("/api/v1/wishes"))
    new = make_wish(world, status="open")
    db.session.commit()
    assert _ids(client.get("/api/v1/wishes")) == before | {new.id}


@pytest.fixture
def statements(cached):
    """A list that fills with every SQL statement the engine runs from now on in this test."""
    from sqlalchemy import event
    seen = []

    def record(*args):
        seen.append(args[2])
    event.listen(db.engine, "before_cursor_execute", record)
    yield lambda: seen.clear() or seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_a_logged_in_hit_reads_nothing_from_the_database(cached, world, login, statements):
    headers = login("volunteer_b")
    cached.get("/api/v1/wishes", headers=headers)  # fills the page and the managers snapshot
    seen = statements()
    again = cached.get("/api/v1/wishes", headers=headers)
    assert again.status_code == 200 and seen == []


def test_a_page_computed_for_a_new_secretary_is_not_stored(cached, world, login):
    from server.identity.models import RoleGrant
    headers = login("volunteer_b")
    cached.get("/api/v1/wishes", headers=headers)  # managers snapshot taken without them
    db.session.add(RoleGrant(user_id=world.users["volunteer_b"].id, role="secretary",
                             community_id=world.communities[0].id))
    db.session.commit()
    shaped = cached.get("/api/v1/wishes?page=1", headers=headers)  # a miss: computed fresh
    assert any(w["priority"] is not None for w in shaped.get_json())  # the manager's view
    public = cached.get("/api/v1/wishes?page=1")
    assert all(w["priority"] is None for w in public.get_json())



def test_an_owners_page_is_kept_for_the_owner_alone(cached, world, login, statements):
    owner, other = login("resident"), login("volunteer_b")
    mine = cached.get("/api/v1/wishes", headers=owner)
    assert "王秀英" in {w["owner_name"] for w in mine.get_json()}
    seen = statements()
    assert cached.get("/api/v1/wishes", headers=owner).get_data() == mine.get_data()
    assert seen == []  # served from the owner's own entry
    theirs = cached.get("/api/v1/wishes", headers=other)
    assert "王秀英" not in {w["owner_name"] for w in theirs.get_json()}
