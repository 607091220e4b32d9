"""Finding 14: GET /me/export and POST /me/cancel (注销), per API.md "The privacy lifecycle".

The must-show: after cancelling, the person's phone, name, address and openid appear nowhere in
the database (every column of every table, read as text), on SQLite and PostgreSQL."""
import itertools
import json
from datetime import timedelta

import pytest
from sqlalchemy import MetaData, Text, cast, select

from server.audit.models import AuditEntry
from server.extensions import db
from server.identity.models import User
from server.notifications.models import OutboxMessage
from server.points.models import PointsEntry
from server.timeutil import LOCAL_TZ, utcnow
from server.wishes.models import Wish, WishClaim
from tests.factories import make_wish

API = "/api/v1"
OPENID = "leaver-openid-7f3a"
NAME = "欧阳注销者"
PHONE = "13700009999"
ADDRESS = "幸福里99号幸福楼3单元"
_nonce = itertools.count()


def _login(client, openid=OPENID) -> dict:
    resp = client.post(f"{API}/auth/wechat-login", json={"code": f"fake:{openid}:{next(_nonce)}"})
    assert resp.status_code == 200, resp.get_json()
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def _ok(resp, status=200):
    assert resp.status_code == status, resp.get_json()
    return resp.get_json()


def _later(days: int, hour: int) -> str:
    day = (utcnow() + timedelta(days=days)).astimezone(LOCAL_TZ)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


def _leaver(client, world, login) -> dict:
    """A resident who is also a volunteer, with data in every corner of the database."""
    me = _login(client)
    a = world.communities[0]
    _ok(client.patch(f"{API}/me", headers=me, json={
        "name": NAME, "address": ADDRESS, "community_id": a.id, "lat": a.lat + 0.0012,
        "lng": a.lng - 0.0007}))
    _ok(client.post(f"{API}/me/phone", headers=me, json={"code": f"fake-phone:{PHONE}"}))
    for purpose in ("privacy_policy", "location", "hardship"):
        _ok(client.post(f"{API}/me/consents", headers=me, json={"purpose": purpose}), 201)
    _ok(client.post(f"{API}/me/consents/location/withdraw", headers=me))
    sec = login("secretary")
    wishes = {}
    for key in ("open", "claimed", "done"):
        body = {"title": f"{NAME}的心愿{key}", "description": f"请到{ADDRESS}找{NAME}，电话{PHONE}",
                "category": "repair", "address": ADDRESS}
        wish = _ok(client.post(f"{API}/wishes", headers={**me, "Idempotency-Key": f"k-{key}"},
                               json=body), 201)
        _ok(client.post(f"{API}/wishes/{wish['id']}/review", headers=sec,
                        json={"decision": "approve"}))
        wishes[key] = wish["id"]
    vol = login("volunteer")
    for key in ("claimed", "done"):
        _ok(client.post(f"{API}/wishes/{wishes[key]}/claim", headers=vol))
    _ok(client.post(f"{API}/wishes/{wishes['done']}/fulfil", headers=vol, json={"note": "已修好"}))
    _ok(client.post(f"{API}/wishes/{wishes['done']}/confirm", headers=me,
                    json={"rating": 5, "thanks": f"谢谢！{NAME} {PHONE}"}))
    _ok(client.post(f"{API}/orders", headers=me, json={
        "category": "repair", "skills": ["appliance_repair"], "window_start": _later(3, 9),
        "window_end": _later(3, 12), "note": f"{ADDRESS} 冰箱不制冷"}), 201)
    # The leaver volunteers too, and holds a claim on another resident's wish.
    _ok(client.post(f"{API}/volunteers/apply", headers=me, json={
        "skills": ["appliance_repair"], "capacity_per_day": 1, "lat": a.lat + 0.0012,
        "lng": a.lng - 0.0007,
        "availability": [{"weekday": 5, "start": "09:00", "end": "12:00"}]}), 201)
    applied = _ok(client.get(f"{API}/volunteers/me", headers=me))
    _ok(client.post(f"{API}/volunteers/{applied['id']}/approve", headers=sec, json={}))
    other = make_wish(world, owner="resident", status="open")
    db.session.commit()
    me = _login(client)  # a fresh token carries no roles; the actor is read per request anyway
    _ok(client.post(f"{API}/wishes/{other.id}/claim", headers=me))
    service = _ok(client.post(f"{API}/services", headers=me, json={
        "title": f"{NAME}义务修电器", "category": "repair", "skills": ["appliance_repair"],
        "mode": "venue", "venue": ADDRESS, "description": f"联系{PHONE}",
        "slots": [{"start": _later(4, 9), "end": _later(4, 11), "capacity": 2}]}), 201)
    booked = _ok(client.post(f"{API}/orders", headers=login("resident2"), json={
        "service_id": service["id"], "slot_id": service["slots"][0]["id"]}), 201)
    return {"headers": me, "wishes": wishes, "held": other.id, "volunteer_id": applied["id"],
            "booked": booked["id"]}


def _user_id() -> int:
    return db.session.execute(db.select(User.id).where(User.openid == OPENID)).scalar_one()


def _found_anywhere(needles) -> list[str]:
    """Every column of every table in the database, cast to text, searched for each needle (and
    its JSON-escaped form, as JSON columns may store \\uXXXX escapes)."""
    meta = MetaData()
    meta.reflect(db.engine)
    hits = []
    with db.engine.connect() as conn:
        for table in meta.sorted_tables:
            for column in table.columns:
                text = cast(column, Text)
                for needle in needles:
                    for form in {needle, json.dumps(needle)[1:-1]}:
                        found = conn.execute(select(text).where(text.contains(form))).first()
                        if found is not None:
                            hits.append(f"{table.name}.{column.name} holds {needle!r}")
    return hits


def test_export_holds_everything_about_me_and_is_audited(client, world, login):
    leaver = _leaver(client, world, login)
    data = _ok(client.get(f"{API}/me/export", headers=leaver["headers"]))
    assert data["profile"]["name"] == NAME and data["profile"]["phone"] == PHONE
    assert {c["purpose"] for c in data["consents"]} == {"privacy_policy", "location", "hardship"}
    assert {w["id"] for w in data["wishes_posted"]} == set(leaver["wishes"].values())
    assert [w["id"] for w in data["wishes_claimed"]] == [leaver["held"]]
    assert set(data["wishes_claimed"][0]) == {"id", "title", "category", "status", "claimed_at",
                                              "fulfilled_at", "fulfil_note", "confirmed_at",
                                              "rating", "thanks"}  # not the owner's address
    assert data["volunteer"]["id"] == leaver["volunteer_id"]
    assert len(data["orders_placed"]) == 1
    assert data["ratings_given"] == [{"object_type": "wish", "object_id": leaver["wishes"]["done"],
                                      "rating": 5, "text": f"谢谢！{NAME} {PHONE}"}]
    assert "consent.withdraw" in {a["action"] for a in data["audit"]}
    db.session.expire_all()
    assert db.session.execute(db.select(AuditEntry).where(
        AuditEntry.action == "account.export", AuditEntry.actor_id == _user_id())).scalar_one()


def test_cancel_needs_confirm_true(client, world, login):
    me = _login(client)
    for body in ({}, {"confirm": False}, {"confirm": "yes"}, {"confirm": 1}):
        resp = client.post(f"{API}/me/cancel", headers=me, json=body)
        assert resp.status_code == 422, (body, resp.get_json())
    assert _ok(client.get(f"{API}/me", headers=me))["id"] == _user_id()


def test_after_cancelling_the_person_is_nowhere_in_the_database(client, world, login):
    leaver = _leaver(client, world, login)
    assert _found_anywhere([PHONE, NAME, ADDRESS, OPENID])  # the scan does see them before
    uid = _user_id()
    done = _ok(client.post(f"{API}/me/cancel", headers=leaver["headers"], json={"confirm": True}))
    assert done["cancelled"] is True
    db.session.expire_all()
    assert _found_anywhere([PHONE, NAME, ADDRESS, OPENID]) == []
    tombstone = db.session.get(User, uid)
    assert tombstone.cancelled_at is not None and tombstone.openid.startswith("cancelled:")
    assert (tombstone.phone, tombstone.address, tombstone.lat, tombstone.name) == (
        None, None, None, "")


def test_cancelling_keeps_what_others_rely_on_and_tells_them(client, world, login):
    leaver = _leaver(client, world, login)
    wishes = leaver["wishes"]
    _ok(client.post(f"{API}/me/cancel", headers=leaver["headers"], json={"confirm": True}))
    db.session.expire_all()
    status = {key: db.session.get(Wish, wish_id).status for key, wish_id in wishes.items()}
    assert status == {"open": "cancelled", "claimed": "cancelled", "done": "confirmed"}
    confirmed = db.session.get(Wish, wishes["done"])
    assert confirmed.rating == 5 and confirmed.thanks is None and confirmed.address is None
    assert db.session.execute(db.select(PointsEntry).where(
        PointsEntry.ref_type == "wish", PointsEntry.ref_id == wishes["done"])).scalars().all()
    # The volunteer who held the owner's claimed wish is told; the leaver's own claim went back.
    told = db.session.execute(db.select(OutboxMessage).where(
        OutboxMessage.user_id == world.users["volunteer"].id,
        OutboxMessage.kind == "wish_cancelled")).scalar_one()
    assert told.page.endswith(f"ref=wish:{wishes['claimed']}")
    held = db.session.get(Wish, leaver["held"])
    assert held.status == "open" and held.claimed_by is None
    claim = db.session.execute(db.select(WishClaim).where(
        WishClaim.wish_id == leaver["held"])).scalar_one()
    assert claim.status == "released"
    # A resident who booked the leaver's offering is told it is cancelled.
    booked = _ok(client.get(f"{API}/orders/{leaver['booked']}", headers=login("resident2")))
    assert booked["status"] == "cancelled"
    assert db.session.execute(db.select(OutboxMessage).where(
        OutboxMessage.user_id == world.users["resident2"].id,
        OutboxMessage.kind == "order_cancelled")).scalars().all()
    assert db.session.execute(db.select(AuditEntry).where(
        AuditEntry.action == "account.cancel")).scalar_one()


def test_the_token_stops_at_once_and_the_next_login_is_a_new_empty_account(client, world, login):
    leaver = _leaver(client, world, login)
    old_id = _user_id()
    _ok(client.post(f"{API}/me/cancel", headers=leaver["headers"], json={"confirm": True}))
    for path in ("/me", "/me/export", "/wishes/mine"):
        assert client.get(API + path, headers=leaver["headers"]).status_code == 401
    again = _login(client)
    me = _ok(client.get(f"{API}/me", headers=again))
    assert me["id"] != old_id and me["name"] == "" and me.get("phone") in (None, "")
    export = _ok(client.get(f"{API}/me/export", headers=again))
    assert export["wishes_posted"] == [] and export["volunteer"] is None
    # Nothing is queued for the old account any more (e.g. a secretary confirming its wish).
    from server.notifications.services import notify
    assert notify(old_id, "wish_confirmed", title="x", ref="wish:1") is None
    assert db.session.execute(db.select(OutboxMessage).where(
        OutboxMessage.user_id == old_id)).scalars().all() == []


@pytest.mark.parametrize("who", ["volunteer", "secretary"])
def test_a_volunteer_or_secretary_can_cancel_too(client, world, login, who):
    headers = login(who)
    _ok(client.post(f"{API}/me/cancel", headers=headers, json={"confirm": True}))
    db.session.expire_all()
    user = db.session.get(User, world.users[who].id)
    assert user.cancelled_at is not None
    assert client.get(f"{API}/me", headers=headers).status_code == 401
