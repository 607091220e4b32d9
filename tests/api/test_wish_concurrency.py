"""Races: 50 volunteers claim one wish at once; one POST /wishes repeated with one key."""
from server.extensions import db
from server.wishes.models import Wish, WishClaim
from tests.concurrency import race
from tests.factories import make_user, make_volunteer

RACERS = 50


def test_fifty_concurrent_claims_one_winner(app, client, world, login):
    community = world.communities[0]
    for i in range(RACERS):
        make_volunteer(make_user(f"racer{i}", community), community)
    db.session.commit()
    heads = [login(f"racer{i}") for i in range(RACERS)]
    wid = world.wishes["open"].id
    results = race(app, [("POST", f"/api/v1/wishes/{wid}/claim", h, None) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(200) == 1 and codes.count(409) == RACERS - 1, codes
    db.session.rollback()  # a fresh snapshot: the racers committed in other connections
    claims = db.session.execute(db.select(WishClaim).filter_by(wish_id=wid)).scalars().all()
    assert len(claims) == 1
    winner = next(body for code, body in results if code == 200)
    assert db.session.get(Wish, wid).claimed_by == claims[0].volunteer_id == winner["claimed_by"]


def _wish_count():
    db.session.rollback()  # a fresh snapshot: the racers committed in other connections
    return db.session.execute(db.select(db.func.count()).select_from(Wish)).scalar()


BODY = {"title": "需要一个书包", "description": "孩子开学需要书包", "category": "goods"}


def test_same_post_five_times_with_one_key_creates_one_wish(client, world, login):
    headers = {**login("resident"), "Idempotency-Key": "post-bag-1"}
    before = _wish_count()
    answers = [client.post("/api/v1/wishes", headers=headers, json=BODY) for _ in range(5)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.get_json()["id"] for a in answers}) == 1
    assert answers[1].headers.get("Idempotent-Replayed") == "true"
    assert _wish_count() == before + 1


def test_same_key_concurrently_creates_one_wish(app, client, world, login):
    headers = {**login("resident"), "Idempotency-Key": "race-key"}
    before = _wish_count()
    results = race(app, [("POST", "/api/v1/wishes", headers, BODY)] * 5)
    codes = [code for code, _ in results]
    assert set(codes) <= {201, 409} and 201 in codes, codes
    assert len({body["id"] for code, body in results if code == 201}) == 1
    assert _wish_count() == before + 1


def test_same_key_different_body_is_422(client, world, login):
    headers = {**login("resident"), "Idempotency-Key": "k-1"}
    assert client.post("/api/v1/wishes", headers=headers, json=BODY).status_code == 201
    other = client.post("/api/v1/wishes", headers=headers, json={**BODY, "title": "别的心愿"})
    assert other.status_code == 422


def test_failed_request_frees_its_key(client, world, login):
    headers = {**login("resident"), "Idempotency-Key": "k-2"}
    bad = client.post("/api/v1/wishes", headers=headers, json={**BODY, "description": "违禁词"})
    assert bad.status_code == 422
    before = _wish_count()
    ok = client.post("/api/v1/wishes", headers=headers, json={**BODY, "description": "违禁词"})
    assert ok.status_code == 422 and _wish_count() == before


def test_keys_are_per_user_and_bounded(client, world, login):
    a = client.post("/api/v1/wishes", headers={**login("resident"), "Idempotency-Key": "same"},
                    json=BODY)
    b = client.post("/api/v1/wishes", headers={**login("resident2"), "Idempotency-Key": "same"},
                    json=BODY)
    assert a.status_code == b.status_code == 201 and a.get_json()["id"] != b.get_json()["id"]
    long_key = client.post("/api/v1/wishes", headers={**login("resident"),
                                                      "Idempotency-Key": "x" * 65}, json=BODY)
    assert long_key.status_code == 422


def test_a_volunteer_leaving_while_claiming_keeps_no_wish(app, client, world, login):
    """Leave and claim at once (PostgreSQL): the claim locks the volunteer's row and re-reads
    the status (policy.membership.lock_active_member), so it serialises with the leave — the
    claim is refused, or the leave releases it; a leaver never holds a wish."""
    from tests.factories import make_wish
    community = world.communities[0]
    for i in range(4):
        key = f"leaver{i}"
        make_volunteer(make_user(key, community), community)
        wish = make_wish(world, status="open")
        db.session.commit()
        mine = login(key)
        results = race(app, [("POST", f"/api/v1/wishes/{wish.id}/claim", mine, None),
                             ("POST", "/api/v1/volunteers/me/leave", mine, {"reason": "工作调动"})])
        assert results[1][0] == 200, results
        db.session.rollback()
        held = db.session.execute(db.select(WishClaim).filter_by(
            wish_id=wish.id, status="active")).scalars().all()
        assert held == [] and db.session.get(Wish, wish.id).status == "open", (i, results)
