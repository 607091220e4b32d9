"""Issue 10, findings 15, 16 and 19: what the public (and a volunteer) must not learn.

15 — the proof of help (fulfil note, photos, thanks, rating) only to the owner, the claimer and
     the secretary; notes and thanks go through the content check (risky → 422).
16 — a volunteer reading their proposals gets reasons, never the score (it carries the tier).
19 — the public leaderboard: masked names, no group of fewer than five people, no ids to join
     with; `claimed_by` is not public on the wall or the detail.
"""
import json

import pytest

from server.extensions import db
from server.points.models import PointsEntry
from server.wechat.fake import FakeWeChat
from server.wishes.models import Wish, WishStatus
from tests.factories import make_user, make_volunteer, make_wish

API = "/api/v1"
NOTE, THANKS = "已送到，门牌号是甲路1号，电话13811112222", "谢谢小李帮忙"
PROOF = ("fulfil_note", "fulfil_photos", "thanks", "rating")
RISKY = FakeWeChat.RISKY_MARKERS[0]
K_ANONYMITY = 5  # issue 10: no public group smaller than five people


def _confirmed_wish(world):
    wish = make_wish(world, status="confirmed", claimer="volunteer")
    wish.fulfil_note, wish.fulfil_photos = NOTE, ["https://img.example/inside.jpg"]
    wish.thanks, wish.rating = THANKS, 5
    db.session.commit()
    return wish


# --- 15: the proof of help -------------------------------------------------------------------

@pytest.mark.parametrize("who", ["anonymous", "resident2", "volunteer2", "secretary_b"])
def test_proof_of_help_is_not_public(client, world, login, who):
    wish = _confirmed_wish(world)
    headers = {} if who == "anonymous" else login(who)
    wall = client.get(f"{API}/wishes?status=confirmed", headers=headers).get_json()
    detail = client.get(f"{API}/wishes/{wish.id}", headers=headers).get_json()
    for body in (wall, detail):
        text = json.dumps(body, ensure_ascii=False)
        assert NOTE not in text and THANKS not in text and "inside.jpg" not in text, who
    row = next(r for r in wall if r["id"] == wish.id)
    for field in PROOF:
        assert row[field] is None and detail[field] is None, (who, field)


@pytest.mark.parametrize("who", ["resident", "volunteer", "secretary"])
def test_proof_of_help_goes_to_owner_claimer_and_secretary(client, world, login, who):
    wish = _confirmed_wish(world)
    detail = client.get(f"{API}/wishes/{wish.id}", headers=login(who)).get_json()
    assert detail["fulfil_note"] == NOTE and detail["thanks"] == THANKS
    assert detail["rating"] == 5 and detail["fulfil_photos"] == ["https://img.example/inside.jpg"]
    assert detail["claimed_by"] == world.volunteers["volunteer"].id


def test_risky_fulfil_note_is_refused(client, world, login):
    wid = world.wishes["claimed"].id
    resp = client.post(f"{API}/wishes/{wid}/fulfil", headers=login("volunteer"),
                       json={"note": f"已完成{RISKY}"})
    assert resp.status_code == 422 and "note" in resp.get_json()["errors"]
    db.session.rollback()
    assert db.session.get(Wish, wid).status == WishStatus.CLAIMED


def test_risky_thanks_is_refused(client, world, login):
    wid = world.wishes["fulfilled"].id
    resp = client.post(f"{API}/wishes/{wid}/confirm", headers=login("resident"),
                       json={"rating": 5, "thanks": f"谢谢{RISKY}"})
    assert resp.status_code == 422 and "thanks" in resp.get_json()["errors"]
    db.session.rollback()
    assert db.session.get(Wish, wid).status == WishStatus.FULFILLED
    fine = client.post(f"{API}/wishes/{wid}/confirm", headers=login("resident"),
                       json={"rating": 5, "thanks": THANKS})
    assert fine.status_code == 200 and fine.get_json()["thanks"] == THANKS


# --- 16: the score ----------------------------------------------------------------------------

def test_volunteer_sees_reasons_not_the_score(client, world, login):
    make_wish(world, status="open", skills=["appliance_repair"])
    db.session.commit()
    secretary = login("secretary")
    run = client.post(f"{API}/matching/runs", headers=secretary,
                      json={"community_id": world.communities[0].id}).get_json()
    assert all("score" in p for p in run["proposals"])  # secretaries keep it
    proposal = run["proposals"][0]
    client.post(f"{API}/matching/proposals/{proposal['id']}/accept", headers=secretary)
    key = next(k for k, v in world.volunteers.items() if v.id == proposal["volunteer_id"])
    volunteer = login(key)
    mine = client.get(f"{API}/matching/proposals/mine", headers=volunteer).get_json()
    assert mine and all("score" not in p and p["reasons"] for p in mine)
    assert all(p["distance_m"] % 100 == 0 for p in mine)
    declined = client.post(f"{API}/matching/proposals/{proposal['id']}/decline",
                           headers=volunteer, json={"reason": "那天要加班"}).get_json()
    assert declined["status"] == "declined" and "score" not in declined


# --- 19: the dossier --------------------------------------------------------------------------

def _volunteers_with_points(world, n, community, unit=None, points=10, prefix="v"):
    ids = []
    for i in range(n):
        user = make_user(f"{prefix}{i}", community, name=f"周{prefix}{i}号")
        volunteer = make_volunteer(user, community, unit_id=unit.id if unit else None)
        db.session.add(PointsEntry(volunteer_id=volunteer.id, community_id=community.id,
                                   unit_id=volunteer.unit_id, delta=points + i,
                                   reason="wish_confirmed", ref_type="wish", ref_id=10_000 + i))
        ids.append(volunteer.id)
    db.session.flush()
    return ids


def _board(client, headers=None, **params):
    query = "&".join(f"{k}={v}" for k, v in {"period": "all", **params}.items())
    resp = client.get(f"{API}/points/leaderboard?{query}&page_size=100", headers=headers or {})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_leaderboard_hides_cells_smaller_than_five(client, world, login):
    a, b = world.communities[0], world.communities[1]
    unit_x, unit_y = world.units
    _volunteers_with_points(world, 5, a, unit_x, prefix="ax")
    lonely = _volunteers_with_points(world, 1, b, unit_x, points=99, prefix="bx")[0]
    _volunteers_with_points(world, 3, b, unit_y, prefix="by")
    db.session.commit()
    # Community b holds four people: no public board.
    assert _board(client, community_id=b.id) == []
    # Unit x × community b holds one person: not shown, alone or through unit x's board.
    assert _board(client, community_id=b.id, unit_id=unit_x.id) == []
    unit_board = _board(client, unit_id=unit_x.id)
    assert len(unit_board) == K_ANONYMITY and all(r["points"] != 99 for r in unit_board)
    # The whole board: masked names, and no ids to join with the wall or other boards.
    whole = _board(client)
    assert len(whole) == 9 and any(r["points"] == 99 for r in whole)
    for row in whole:
        assert row["volunteer_id"] is None and row["name"].count("*") >= 1
        assert not row["name"].startswith("周") or row["name"][1:] == "*" * (len(row["name"]) - 1)
    # The person themself sees their own id; a secretary of the community sees the board whole.
    own = _board(client, login("bx0"))  # the openid of the lonely volunteer
    assert [r["volunteer_id"] for r in own if r["volunteer_id"] is not None] == [lonely]
    managed = _board(client, login("secretary_b"), community_id=b.id)
    assert len(managed) == 4 and all(r["volunteer_id"] is not None for r in managed)


@pytest.mark.parametrize("who", ["anonymous", "resident2", "volunteer2"])
def test_claimed_by_is_not_public(client, world, login, who):
    headers = {} if who == "anonymous" else login(who)
    claimed = world.wishes["claimed"]
    wall = client.get(f"{API}/wishes?status=claimed", headers=headers).get_json()
    detail = client.get(f"{API}/wishes/{claimed.id}", headers=headers).get_json()
    row = next(r for r in wall if r["id"] == claimed.id)
    for body in (row, detail):
        assert body["claimed_by"] is None and body["claimed_by_name"] is None, who
        assert body["status"] == "claimed"


# --- 13 (the wish part): WishSchema publishes a type for every field, and keeps to it ----------

PY_TYPES = {"integer": int, "number": (int, float), "string": str, "array": list,
            "object": dict, "boolean": bool}


def _conforms(prop: dict, value) -> bool:
    if "anyOf" in prop:
        return any(_conforms(p, value) for p in prop["anyOf"])
    if "$ref" in prop:
        return isinstance(value, dict)
    if value is None:
        return bool(prop.get("nullable"))
    return isinstance(value, PY_TYPES[prop["type"]])


def test_wish_schema_is_typed_and_true(app, client, world, login):
    spec = app.extensions["lianxin_api"].spec.to_dict()["components"]["schemas"]["Wish"]
    untyped = [k for k, v in spec["properties"].items()
               if not ({"type", "anyOf", "$ref"} & set(v))]
    assert not untyped, untyped
    _confirmed_wish(world)
    for who in ("anonymous", "resident", "volunteer", "secretary"):
        headers = {} if who == "anonymous" else login(who)
        rows = client.get(f"{API}/wishes?page_size=100", headers=headers).get_json()
        rows += client.get(f"{API}/wishes?status=confirmed", headers=headers).get_json()
        rows.append(client.get(f"{API}/wishes/{world.wishes['claimed'].id}",
                               headers=headers).get_json())
        for row in rows:
            assert set(row) == set(spec["properties"]), who
            bad = {k: v for k, v in row.items() if not _conforms(spec["properties"][k], v)}
            assert not bad, (who, bad)
