"""The org tree and catalogues, managed by admins in their scope; every change audited."""
from server.audit.models import AuditEntry
from server.extensions import db
from server.identity.models import Community

from .imports_helpers import API, scoped_admin


def test_admin_creates_and_patches_each_kind_audited(client, world, login):
    admin = login("admin")
    street = client.post(f"{API}/admin/streets", headers=admin,
                         json={"name": "新街道", "district_id": world.district.id})
    assert street.status_code == 201
    boundary = {"type": "Polygon", "coordinates": [[[120.1, 30.3], [120.2, 30.3], [120.2, 30.4],
                                                    [120.1, 30.3]]]}
    community = client.post(f"{API}/admin/communities", headers=admin, json={
        "name": "新社区", "street_id": street.get_json()["id"], "lat": 30.3, "lng": 120.15,
        "boundary": boundary}).get_json()
    assert community["boundary"] == boundary and community["retired"] is False
    grid = client.post(f"{API}/admin/grids", headers=admin,
                       json={"name": "新社区第1网格", "community_id": community["id"]})
    unit = client.post(f"{API}/admin/units", headers=admin,
                       json={"name": "新单位党支部", "community_id": community["id"]})
    skill = client.post(f"{API}/admin/skills", headers=admin, json={"code": "sewing", "name": "缝补"})
    assert {grid.status_code, unit.status_code, skill.status_code} == {201}
    patched = client.patch(f"{API}/admin/communities/{community['id']}", headers=admin,
                           json={"name": "新社区（改）"})
    assert patched.get_json()["name"] == "新社区（改）"
    assert client.patch(f"{API}/admin/skills/sewing", headers=admin,
                        json={"name": "缝补衣物"}).get_json()["name"] == "缝补衣物"
    actions = set(db.session.execute(db.select(AuditEntry.action)).scalars())
    assert {"org.street.create", "org.community.create", "org.grid.create", "org.unit.create",
            "org.skill.create", "org.community.update", "org.skill.update"} <= actions


def test_duplicates_and_bad_boundaries_are_refused(client, world, login):
    admin = login("admin")
    assert client.post(f"{API}/admin/communities", headers=admin, json={
        "name": "甲社区", "street_id": world.streets[0].id, "lat": 30.3,
        "lng": 120.1}).status_code == 409
    assert client.post(f"{API}/admin/units", headers=admin,
                       json={"name": "区人民医院党委"}).status_code == 409
    assert client.post(f"{API}/admin/communities", headers=admin, json={
        "name": "戊社区", "street_id": world.streets[0].id, "lat": 30.3, "lng": 120.1,
        "boundary": {"type": "Point", "coordinates": [1, 2]}}).status_code == 422


def test_a_community_with_people_is_retired_not_deleted(client, world, login):
    admin = login("admin")
    a = world.communities[0]
    resp = client.delete(f"{API}/admin/communities/{a.id}", headers=admin)
    assert resp.status_code == 409 and "停用" in resp.get_json()["message"]
    retired = client.patch(f"{API}/admin/communities/{a.id}", headers=admin, json={"retired": True})
    assert retired.get_json()["retired"] is True
    empty = client.post(f"{API}/admin/communities", headers=admin, json={
        "name": "空社区", "street_id": world.streets[0].id, "lat": 30.3, "lng": 120.1}).get_json()
    assert client.delete(f"{API}/admin/communities/{empty['id']}", headers=admin).status_code == 204
    assert db.session.get(Community, empty["id"]) is None


def test_a_community_admin_acts_only_inside_their_community(client, world, login):
    a, b, c = world.communities
    scoped_admin(world, "admin_a", community_id=a.id)
    admin_a = login("admin_a")
    names = [x["name"] for x in client.get(f"{API}/admin/communities", headers=admin_a).get_json()]
    assert names == ["甲社区"]
    assert client.patch(f"{API}/admin/communities/{a.id}", headers=admin_a,
                        json={"name": "甲社区（新）"}).status_code == 200
    assert client.patch(f"{API}/admin/communities/{b.id}", headers=admin_a,
                        json={"name": "x"}).status_code == 404
    assert client.post(f"{API}/admin/communities", headers=admin_a, json={
        "name": "新", "street_id": world.streets[0].id, "lat": 30.3,
        "lng": 120.1}).status_code == 403
    assert client.post(f"{API}/admin/grids", headers=admin_a,
                       json={"name": "乙网格", "community_id": b.id}).status_code == 403
    assert client.post(f"{API}/admin/grids", headers=admin_a,
                       json={"name": "甲网格", "community_id": a.id}).status_code == 201
    assert client.post(f"{API}/admin/streets", headers=admin_a, json={
        "name": "新街道", "district_id": world.district.id}).status_code == 403
    assert client.post(f"{API}/admin/skills", headers=admin_a,
                       json={"code": "sewing", "name": "缝补"}).status_code == 403
    assert client.post(f"{API}/admin/units", headers=admin_a,
                       json={"name": "无关联单位"}).status_code == 403
    unit = world.units[0]
    assert client.patch(f"{API}/admin/units/{unit.id}", headers=admin_a,
                        json={"community_id": a.id}).status_code == 404
    assert client.patch(f"{API}/admin/communities/{a.id}", headers=admin_a,
                        json={"street_id": world.streets[1].id}).status_code == 403


def test_a_street_admin_cannot_move_a_community_to_another_street(client, world, login):
    a, _, c = world.communities
    scoped_admin(world, "admin_s", street_id=world.streets[0].id)
    admin_s = login("admin_s")
    assert client.patch(f"{API}/admin/communities/{a.id}", headers=admin_s,
                        json={"street_id": world.streets[1].id}).status_code == 403
    assert client.patch(f"{API}/admin/communities/{c.id}", headers=admin_s,
                        json={"name": "x"}).status_code == 404
    streets = client.get(f"{API}/admin/streets", headers=admin_s).get_json()
    assert [s["id"] for s in streets] == [world.streets[0].id]


def test_a_create_repeated_with_its_idempotency_key_creates_once(client, world, login):
    headers = dict(login("admin"), **{"Idempotency-Key": "unit-1"})
    first = client.post(f"{API}/admin/units", headers=headers, json={"name": "区审计局党支部"})
    again = client.post(f"{API}/admin/units", headers=headers, json={"name": "区审计局党支部"})
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.get_json() == again.get_json()


def test_a_retired_community_leaves_the_public_list(client, world, login):
    community = world.communities[-1]
    before = [c["id"] for c in client.get("/api/v1/communities").get_json()]
    assert community.id in before
    resp = client.patch(f"/api/v1/admin/communities/{community.id}", headers=login("admin"),
                        json={"retired": True})
    assert resp.status_code == 200, resp.get_json()
    after = [c["id"] for c in client.get("/api/v1/communities").get_json()]
    assert community.id not in after and set(after) == set(before) - {community.id}
