"""The micro-wish flow end to end through the HTTP API, with points, outbox and content check."""
from server.extensions import db
from server.notifications.models import OutboxMessage
from server.wishes.models import Wish

WISH = {"title": "冬天的棉衣", "description": "老人需要一件厚棉衣过冬", "category": "goods",
        "estimated_value_fen": 15000}


def _post(client, headers, body=None, **extra):
    return client.post("/api/v1/wishes", headers={**headers, **extra}, json=body or WISH)


def test_post_review_claim_fulfil_confirm_credits_points(client, world, login):
    resident, secretary, volunteer = login("resident"), login("secretary"), login("volunteer")
    created = _post(client, resident)
    assert created.status_code == 201 and created.get_json()["status"] == "pending_review"
    wid = created.get_json()["id"]
    # Not yet reviewed: not visible to volunteers at all.
    assert client.post(f"/api/v1/wishes/{wid}/claim", headers=volunteer).status_code == 404
    reviewed = client.post(f"/api/v1/wishes/{wid}/review", headers=secretary,
                           json={"decision": "approve"})
    assert reviewed.get_json()["status"] == "open"
    claimed = client.post(f"/api/v1/wishes/{wid}/claim", headers=volunteer)
    assert claimed.status_code == 200
    assert claimed.get_json()["claimed_by"] == world.volunteers["volunteer"].id
    before = client.get("/api/v1/points/me", headers=volunteer).get_json()["balance"]
    fulfilled = client.post(f"/api/v1/wishes/{wid}/fulfil", headers=volunteer,
                            json={"note": "棉衣已送到", "photo_urls": ["https://img.example/1.jpg"]})
    assert fulfilled.get_json()["status"] == "fulfilled"
    assert client.get("/api/v1/points/me", headers=volunteer).get_json()["balance"] == before
    confirmed = client.post(f"/api/v1/wishes/{wid}/confirm", headers=resident,
                            json={"rating": 5, "thanks": "谢谢小李"})
    assert confirmed.get_json()["status"] == "confirmed"
    points = client.get("/api/v1/points/me", headers=volunteer).get_json()
    assert points["balance"] == before + 10 + 5
    assert {e["reason"] for e in points["entries"]} == {"wish_confirmed", "rating_bonus"}
    board = client.get(f"/api/v1/points/leaderboard?community_id={world.communities[0].id}"
                       "&period=week", headers=secretary).get_json()
    assert board[0]["volunteer_id"] == world.volunteers["volunteer"].id
    assert board[0]["points"] == 15 and board[0]["name"] == "李**"
    kinds = [m.kind for m in db.session.execute(db.select(OutboxMessage)).scalars()]
    for kind in ("wish_approved", "wish_claimed", "wish_fulfilled", "wish_confirmed"):
        assert kind in kinds


def test_points_rule_change_applies_to_later_confirmations(client, world, login):
    assert client.put("/api/v1/points/rules/wish_confirmed", headers=login("admin"),
                      json={"points": 20}).status_code == 200
    wid = world.wishes["fulfilled"].id
    client.post(f"/api/v1/wishes/{wid}/confirm", headers=login("resident"), json={"rating": 4})
    assert client.get("/api/v1/points/me", headers=login("volunteer")).get_json()["balance"] == 20


def test_secretary_confirms_for_a_resident_without_a_phone(client, world, login):
    wid = world.wishes["fulfilled"].id
    resp = client.post(f"/api/v1/wishes/{wid}/confirm", headers=login("secretary"),
                       json={"rating": 4})
    assert resp.status_code == 200
    again = client.post(f"/api/v1/wishes/{wid}/confirm", headers=login("resident"),
                        json={"rating": 5})
    assert again.status_code == 409
    assert client.get("/api/v1/points/me", headers=login("volunteer")).get_json()["balance"] == 10


def test_risky_text_is_refused_and_nothing_stored(client, world, login):
    resp = _post(client, login("resident"), {**WISH, "description": "这里有违禁词"})
    assert resp.status_code == 422
    assert "内容" in resp.get_json()["message"]
    assert db.session.execute(db.select(db.func.count()).select_from(Wish)).scalar() == 5


def test_text_for_review_is_held_and_flagged(client, world, login):
    resp = _post(client, login("resident"), {**WISH, "description": "这段话有待审词"})
    assert resp.status_code == 201
    assert resp.get_json()["status"] == "pending_review"
    assert resp.get_json()["content_check"] == "review"


def test_wechat_unreachable_holds_for_review_never_publishes(client, app, world, login):
    from server.wechat.gateway import get_wechat
    headers = login("resident")
    with app.test_request_context():
        get_wechat().fail_next("timeout")
    resp = _post(client, headers)
    assert resp.status_code == 201
    assert resp.get_json() == {"id": resp.get_json()["id"], "status": "pending_review",
                               "content_check": "unchecked"}
    wall = client.get("/api/v1/wishes").get_json()
    assert resp.get_json()["id"] not in [w["id"] for w in wall]


def test_release_reopens_and_notifies_owner(client, world, login):
    wid = world.wishes["claimed"].id
    resp = client.post(f"/api/v1/wishes/{wid}/release", headers=login("volunteer"),
                       json={"reason": "临时出差"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "open"
    assert resp.get_json()["claimed_by"] is None
    kinds = [m.kind for m in db.session.execute(db.select(OutboxMessage)).scalars()]
    assert "wish_released" in kinds
    assert client.post(f"/api/v1/wishes/{wid}/claim", headers=login("volunteer2")).status_code == 200


def test_claim_limit_per_volunteer(client, app, world, login):
    from tests.factories import make_wish
    for _ in range(5):
        make_wish(world, status="open")
    db.session.commit()
    app.config["WISH_MAX_ACTIVE_CLAIMS"] = 2
    try:
        headers = login("volunteer")  # already holds two (claimed + fulfilled)
        wid = world.wishes["open"].id
        resp = client.post(f"/api/v1/wishes/{wid}/claim", headers=headers)
        assert resp.status_code == 409 and "不能超过" in resp.get_json()["message"]
    finally:
        app.config.pop("WISH_MAX_ACTIVE_CLAIMS")


def test_wall_filters_and_distance(client, world):
    a = world.communities[0]
    rows = client.get(f"/api/v1/wishes?status=open&community_id={a.id}").get_json()
    assert {r["id"] for r in rows} == {world.wishes["open"].id}
    near = client.get(f"/api/v1/wishes?lat={a.lat}&lng={a.lng}&radius_m=200").get_json()
    assert all(r["community_id"] == a.id and r["distance_m"] < 200 for r in near)
    assert world.wishes["open_b"].id not in [r["id"] for r in near]
    assert client.get("/api/v1/wishes?status=pending_review").get_json() == []


def test_secretary_lists_review_queue_of_own_communities(client, world, login):
    rows = client.get("/api/v1/wishes?status=pending_review", headers=login("secretary")).get_json()
    assert [r["id"] for r in rows] == [world.wishes["pending"].id]
    assert client.get("/api/v1/wishes?status=pending_review",
                      headers=login("secretary_b")).get_json() == []


def test_mine_lists_posted_and_claimed(client, world, login):
    posted = client.get("/api/v1/wishes/mine", headers=login("resident")).get_json()
    assert {w["id"] for w in posted} >= {world.wishes["pending"].id, world.wishes["claimed"].id}
    claimed = client.get("/api/v1/wishes/mine?role=volunteer", headers=login("volunteer")).get_json()
    assert {w["id"] for w in claimed} == {world.wishes["claimed"].id, world.wishes["fulfilled"].id}
