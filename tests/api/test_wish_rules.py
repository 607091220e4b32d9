"""Every forbidden transition is 409; every forbidden actor is 403/404; stored data unchanged."""
import pytest

from server.extensions import db
from server.wishes.models import Wish

ACTIONS = {
    "review": ("secretary", {"decision": "approve"}, {"pending_review"}),
    "claim": ("volunteer2", None, {"open"}),
    "release": ("volunteer", {"reason": "有事"}, {"claimed"}),
    "fulfil": ("volunteer", {"note": "完成"}, {"claimed"}),
    "confirm": ("resident", {"rating": 5}, {"fulfilled"}),
    "cancel": ("resident", None, {"pending_review", "open"}),
}
STATES = ["pending_review", "open", "claimed", "fulfilled", "confirmed", "rejected", "cancelled",
          "expired"]


def _snapshot(wish_id):
    db.session.expire_all()
    wish = db.session.get(Wish, wish_id)
    return {c.key: getattr(wish, c.key) for c in wish.__mapper__.column_attrs}


PUBLIC = {"open", "claimed", "fulfilled", "confirmed"}


def _expected(action, state):
    """404 where the actor may not even see the wish; 403 where it is not theirs to act on;
    otherwise 409: the state does not allow the move."""
    volunteer_action = action in ("claim", "release", "fulfil")
    holds_claim = state in ("claimed", "fulfilled", "confirmed")
    if volunteer_action and state not in PUBLIC:
        return 404
    if action in ("release", "fulfil") and not holds_claim:
        return 403
    return 409


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("state", STATES)
def test_forbidden_transitions_are_refused(client, world, login, action, state):
    from tests.factories import make_wish
    actor, body, allowed = ACTIONS[action]
    if state in allowed:
        pytest.skip("an allowed transition")
    claimer = "volunteer" if state in ("claimed", "fulfilled", "confirmed") else None
    wish = make_wish(world, status=state, claimer=claimer)
    db.session.commit()
    before = _snapshot(wish.id)
    resp = client.post(f"/api/v1/wishes/{wish.id}/{action}", headers=login(actor), json=body)
    assert resp.status_code == _expected(action, state), (action, state, resp.get_json())
    assert _snapshot(wish.id) == before


def test_volunteer_cannot_review(client, world, login):
    resp = client.post(f"/api/v1/wishes/{world.wishes['pending'].id}/review",
                       headers=login("volunteer"), json={"decision": "approve"})
    assert resp.status_code == 403


def test_resident_cannot_claim(client, world, login):
    resp = client.post(f"/api/v1/wishes/{world.wishes['open'].id}/claim", headers=login("resident2"))
    assert resp.status_code == 403


def test_secretary_of_other_community_cannot_approve(client, world, login):
    wid = world.wishes["pending"].id
    before = _snapshot(wid)
    resp = client.post(f"/api/v1/wishes/{wid}/review", headers=login("secretary_b"),
                       json={"decision": "approve"})
    assert resp.status_code == 404
    assert _snapshot(wid) == before


def test_confirming_twice_is_409_and_pays_once(client, world, login):
    wid = world.wishes["fulfilled"].id
    headers = login("resident")
    assert client.post(f"/api/v1/wishes/{wid}/confirm", headers=headers,
                       json={"rating": 3}).status_code == 200
    assert client.post(f"/api/v1/wishes/{wid}/confirm", headers=headers,
                       json={"rating": 3}).status_code == 409
    balance = client.get("/api/v1/points/me", headers=login("volunteer")).get_json()["balance"]
    assert balance == 10


def test_owner_cannot_claim_own_wish(client, world, login):
    from tests.factories import make_wish
    wish = make_wish(world, owner="volunteer2", status="open")
    db.session.commit()
    resp = client.post(f"/api/v1/wishes/{wish.id}/claim", headers=login("volunteer2"))
    assert resp.status_code == 409


def test_pending_wish_is_invisible_to_strangers(client, world, login):
    wid = world.wishes["pending"].id
    assert client.get(f"/api/v1/wishes/{wid}").status_code == 404
    assert client.get(f"/api/v1/wishes/{wid}", headers=login("resident2")).status_code == 404
    assert client.get(f"/api/v1/wishes/{wid}", headers=login("secretary_b")).status_code == 404
    assert client.get(f"/api/v1/wishes/{wid}", headers=login("resident")).status_code == 200
    assert client.get(f"/api/v1/wishes/{wid}", headers=login("secretary")).status_code == 200


def test_points_not_credited_at_claim(client, world, login):
    client.post(f"/api/v1/wishes/{world.wishes['open'].id}/claim", headers=login("volunteer2"))
    assert client.get("/api/v1/points/me", headers=login("volunteer2")).get_json()["balance"] == 0
