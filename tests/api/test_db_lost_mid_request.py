"""The database going away in the middle of a request: the answer is still in the one error
shape (the refusal already decided, or 503), never a 500, and nothing is committed."""
import pytest
from sqlalchemy.exc import OperationalError

from server.extensions import db as database


@pytest.fixture
def rollback_fails(monkeypatch):
    """Every rollback of the request's session fails as on a connection PostgreSQL has cut."""
    def lost(*_a, **_k):
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))
    monkeypatch.setattr(database.session, "rollback", lost)


def test_a_refusal_stays_a_refusal_when_the_rollback_fails(client, world, login, rollback_fails):
    headers = login("volunteer")
    wid = world.wishes["claimed"].id
    resp = client.post(f"/api/v1/wishes/{wid}/claim", headers=headers)
    assert resp.status_code == 409
    assert set(resp.get_json()) == {"code", "status", "message", "errors", "request_id"}


def test_a_not_found_stays_404_when_the_rollback_fails(client, world, login, rollback_fails):
    resp = client.get("/api/v1/wishes/999999", headers=login("resident"))
    assert resp.status_code == 404
