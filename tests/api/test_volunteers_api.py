"""Volunteers: apply, approve/reject (准入), leave (准出), scoped lists, masking, audit."""
from server.audit.models import AuditEntry
from server.extensions import db

APPLY = {"skills": ["haircut", "errands"], "capacity_per_day": 2, "lat": 30.29, "lng": 120.15,
         "availability": [{"weekday": 5, "start": "09:00", "end": "12:00"}]}


def test_resident_applies_and_secretary_approves(client, world, login):
    resident = login("resident")
    resp = client.post("/api/v1/volunteers/apply", headers=resident,
                       json={**APPLY, "unit": "区人民医院党委"})
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["status"] == "pending" and body["unit"] == "区人民医院党委"
    approved = client.post(f"/api/v1/volunteers/{body['id']}/approve", headers=login("secretary"),
                           json={})
    assert approved.status_code == 200 and approved.get_json()["status"] == "active"
    me = client.post("/api/v1/auth/wechat-login", json={"code": "fake:resident:again"}).get_json()
    assert "volunteer" in me["user"]["roles"] and me["user"]["volunteer_status"] == "active"
    audit = db.session.execute(db.select(AuditEntry).filter_by(action="volunteer.approve")).scalars()
    assert len(audit.all()) == 1


def test_apply_twice_is_conflict(client, world, login):
    headers = login("resident")
    assert client.post("/api/v1/volunteers/apply", headers=headers, json=APPLY).status_code == 201
    assert client.post("/api/v1/volunteers/apply", headers=headers, json=APPLY).status_code == 409


def test_apply_rejects_bad_input(client, world, login):
    headers = login("resident")
    bad = [
        {**APPLY, "skills": ["flying"]},
        {**APPLY, "capacity_per_day": 0},
        {**APPLY, "capacity_per_day": "two"},
        {**APPLY, "availability": [{"weekday": 7, "start": "09:00", "end": "10:00"}]},
        {**APPLY, "availability": [{"weekday": 1, "start": "12:00", "end": "09:00"}]},
        {**APPLY, "availability": [{"weekday": 1, "start": "9am", "end": "10:00"}]},
        {**APPLY, "availability": []},
        {**APPLY, "unit": "不存在的单位"},
        {**APPLY, "lat": "north"},
        {k: v for k, v in APPLY.items() if k != "skills"},
        {**APPLY, "community_id": 424242},
    ]
    for body in bad:
        resp = client.post("/api/v1/volunteers/apply", headers=headers, json=body)
        assert resp.status_code == 422, (body, resp.get_json())
    assert client.get("/api/v1/volunteers/me", headers=headers).status_code == 404


def test_secretary_of_other_community_cannot_review(client, world, login):
    vid = world.volunteers["applicant"].id
    assert client.post(f"/api/v1/volunteers/{vid}/approve", headers=login("secretary_b"),
                       json={}).status_code == 404
    assert client.post(f"/api/v1/volunteers/{vid}/approve", headers=login("volunteer"),
                       json={}).status_code == 403
    assert client.post(f"/api/v1/volunteers/{vid}/reject", headers=login("resident"),
                       json={}).status_code == 403


def test_street_secretary_reviews_any_community_of_the_street(client, world, login):
    vid = world.volunteers["applicant_b"].id
    resp = client.post(f"/api/v1/volunteers/{vid}/reject", headers=login("street_secretary"),
                       json={"reason": "资料不全"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "rejected"


def test_reviewing_twice_is_conflict(client, world, login):
    vid = world.volunteers["applicant"].id
    sec = login("secretary")
    assert client.post(f"/api/v1/volunteers/{vid}/approve", headers=sec, json={}).status_code == 200
    assert client.post(f"/api/v1/volunteers/{vid}/reject", headers=sec, json={}).status_code == 409


def test_volunteer_leaves_and_can_reapply(client, world, login):
    headers = login("volunteer")
    resp = client.post("/api/v1/volunteers/me/leave", headers=headers, json={"reason": "工作调动"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "left"
    assert client.post("/api/v1/volunteers/me/leave", headers=headers, json={}).status_code == 409
    assert client.post("/api/v1/volunteers/apply", headers=headers, json=APPLY).status_code == 201


def test_list_is_scoped_and_masks_phones(client, world, login):
    rows = client.get("/api/v1/volunteers?status=pending", headers=login("secretary")).get_json()
    assert [r["id"] for r in rows] == [world.volunteers["applicant"].id]
    assert all("****" in r["phone"] for r in rows)
    everyone = client.get("/api/v1/volunteers", headers=login("secretary")).get_json()
    assert {r["community_id"] for r in everyone} == {world.communities[0].id}
    other = client.get(f"/api/v1/volunteers?community_id={world.communities[1].id}",
                       headers=login("secretary"))
    assert other.status_code == 404


def test_list_rejects_unknown_status_and_huge_page(client, world, login):
    sec = login("secretary")
    assert client.get("/api/v1/volunteers?status=sleeping", headers=sec).status_code == 422
    assert client.get("/api/v1/volunteers?page_size=1000", headers=sec).status_code == 422
    assert client.get("/api/v1/volunteers?page=0", headers=sec).status_code == 422


def test_volunteer_file_is_visible_to_self_and_own_secretary_only(client, world, login):
    vid = world.volunteers["volunteer"].id
    assert client.get(f"/api/v1/volunteers/{vid}", headers=login("volunteer")).status_code == 200
    assert client.get(f"/api/v1/volunteers/{vid}", headers=login("secretary")).status_code == 200
    for who in ("secretary_b", "volunteer2", "resident"):
        assert client.get(f"/api/v1/volunteers/{vid}", headers=login(who)).status_code == 404
    reads = db.session.execute(db.select(AuditEntry).filter_by(action="volunteer.read")).scalars()
    assert len(reads.all()) == 1


def test_secretary_sees_full_phone_in_the_file_only(client, world, login):
    vid = world.volunteers["volunteer"].id
    sec = login("secretary")
    assert "****" not in client.get(f"/api/v1/volunteers/{vid}", headers=sec).get_json()["phone"]
    rows = client.get("/api/v1/volunteers", headers=sec).get_json()
    assert all("****" in r["phone"] for r in rows)
