"""No wish response carries a full phone or an address outside DESIGN.md's allowances."""
import json

import pytest

from server.audit.models import AuditEntry
from server.extensions import db

ROLES = ["anonymous", "resident", "resident2", "volunteer", "volunteer2", "secretary",
         "secretary_b", "admin"]
PHONE, ADDRESS = "13811112222", "甲路1号"   # the owner's (world.users["resident"])
PHONE_B = "13755556666"


def _calls(world):
    w = world.wishes
    return [("GET", "/api/v1/wishes"), ("GET", "/api/v1/wishes?status=claimed"),
            ("GET", "/api/v1/wishes?lat=30.2968&lng=120.1523"),
            ("GET", "/api/v1/wishes/mine"), ("GET", "/api/v1/wishes/mine?role=volunteer"),
            *[("GET", f"/api/v1/wishes/{wish.id}") for wish in w.values()]]


def _allowed_detail(role, name):
    """Who may see the contact of world.wishes[name] in its detail."""
    owner = "resident_b" if name == "open_b" else "resident"
    secretary = "secretary_b" if name == "open_b" else "secretary"
    claimer = "volunteer" if name in ("claimed", "fulfilled") else None
    return role in (owner, secretary, claimer, "admin")


@pytest.mark.parametrize("role", ROLES)
def test_wish_endpoints_never_leak_contact(client, world, login, role):
    headers = {} if role == "anonymous" else login(role)
    names = {wish.id: name for name, wish in world.wishes.items()}
    for method, path in _calls(world):
        resp = client.open(path, method=method, headers=headers)
        if resp.status_code == 401:
            continue
        text = json.dumps(resp.get_json(), ensure_ascii=False)
        wish_id = int(path.rsplit("/", 1)[-1]) if path.rsplit("/", 1)[-1].isdigit() else None
        may_see = wish_id is not None and _allowed_detail(role, names[wish_id])
        if not may_see or role in ("resident2",):
            assert PHONE not in text and ADDRESS not in text, (role, path)
            assert PHONE_B not in text and "乙路3号" not in text, (role, path)


@pytest.mark.parametrize("role", ["resident", "volunteer", "secretary"])
def test_allowed_callers_see_contact_in_detail(client, world, login, role):
    wid = world.wishes["claimed"].id
    body = client.get(f"/api/v1/wishes/{wid}", headers=login(role)).get_json()
    assert body["contact"]["phone"] == PHONE and body["contact"]["address"] == ADDRESS


def test_contact_reads_by_others_than_owner_are_audited(client, world, login):
    wid = world.wishes["claimed"].id
    client.get(f"/api/v1/wishes/{wid}", headers=login("resident"))
    client.get(f"/api/v1/wishes/{wid}", headers=login("volunteer"))
    client.get(f"/api/v1/wishes/{wid}", headers=login("secretary"))
    rows = db.session.execute(db.select(AuditEntry).filter_by(action="wish.contact_read")).scalars()
    assert sorted(r.actor_role for r in rows) == ["secretary", "volunteer"]


def test_claim_ends_contact_after_release(client, world, login):
    wid = world.wishes["claimed"].id
    headers = login("volunteer")
    client.post(f"/api/v1/wishes/{wid}/release", headers=headers, json={"reason": "有事"})
    body = client.get(f"/api/v1/wishes/{wid}", headers=headers).get_json()
    assert body["contact"] is None and "*" in body["owner_name"]


def test_wall_masks_names_and_coarsens_location(client, world):
    rows = client.get("/api/v1/wishes").get_json()
    assert rows and all(r["owner_name"].endswith("*") for r in rows)
    assert all(r["contact"] is None for r in rows)
    assert all(round(r["approx_lat"], 2) == r["approx_lat"] for r in rows)
    assert all("lat" not in r and "address" not in r for r in rows)
