"""Login, tokens, /me, consents, the org tree and skills, through the HTTP API."""
from datetime import timedelta

from server.identity.tokens import issue_token
from server.timeutil import utcnow
from tests.conftest import TEST_SECRET

LOGIN = "/api/v1/auth/wechat-login"


def test_login_creates_resident_on_first_login(client, db):
    resp = client.post(LOGIN, json={"code": "fake:newcomer:1"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["user"]["roles"] == ["resident"]
    assert body["expires_in"] > 0
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.get_json()["id"] == body["user"]["id"]


def test_login_code_works_once(client, db):
    assert client.post(LOGIN, json={"code": "fake:someone:7"}).status_code == 200
    again = client.post(LOGIN, json={"code": "fake:someone:7"})
    assert again.status_code == 401
    assert again.get_json()["request_id"]
    assert "登录" in again.get_json()["message"]


def test_login_rejects_forged_code(client, db):
    for code in ("not-a-code", "fake:", "fake:bad openid!", "real-looking-code-0a1b2c"):
        resp = client.post(LOGIN, json={"code": code})
        assert resp.status_code == 401, code


def test_login_when_wechat_is_down_is_503(client, app, db):
    from server.wechat.gateway import get_wechat
    with app.test_request_context():
        get_wechat().fail_next("timeout")
    resp = client.post(LOGIN, json={"code": "fake:x:1"})
    assert resp.status_code == 503
    assert resp.get_json()["code"] == 503


def test_login_returns_roles_of_secretary(client, world):
    body = client.post(LOGIN, json={"code": "fake:secretary:1"}).get_json()
    assert body["user"]["roles"] == ["resident", "secretary"]
    assert body["user"]["community_id"] == world.communities[0].id


def test_forged_and_expired_tokens_are_401(client, app, world):
    uid = world.users["resident"].id
    forged = issue_token(uid, "not-the-secret-but-also-long-enough", 600)
    expired = issue_token(uid, TEST_SECRET, 60, now=utcnow() - timedelta(hours=2))
    for token in (forged, expired, "garbage", forged + "x"):
        resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 401
        assert resp.get_json()["status"] == "Unauthorized"
    none_alg = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIn0."
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {none_alg}"}).status_code == 401


def test_revoked_secretary_loses_access_at_once(client, world, login):
    from server.identity.models import RoleGrant
    headers = login("secretary")
    assert client.get("/api/v1/volunteers", headers=headers).status_code == 200
    grant = world.users["secretary"].id
    from server.extensions import db
    row = db.session.execute(db.select(RoleGrant).filter_by(user_id=grant)).scalar_one()
    row.revoked_at = utcnow()
    db.session.commit()
    assert client.get("/api/v1/volunteers", headers=headers).status_code == 403


def test_me_shows_own_phone_and_patch_updates(client, world, login):
    headers = login("resident")
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["phone"] == "13811112222"
    resp = client.patch("/api/v1/me", headers=headers,
                        json={"name": "王阿姨", "phone": "13900001111",
                              "community_id": world.communities[1].id})
    assert resp.status_code == 200
    assert resp.get_json()["name"] == "王阿姨"
    assert resp.get_json()["community_id"] == world.communities[1].id


def test_patch_me_rejects_bad_input_and_keeps_data(client, world, login):
    headers = login("resident")
    for body in ({"phone": "123"}, {"community_id": 99999}, {"lat": 95, "lng": 120},
                 {"lat": 30.1}, {"name": "x" * 41}, {"name": ""}, {"unknown": 1}):
        resp = client.patch("/api/v1/me", headers=headers, json=body)
        assert resp.status_code == 422, body
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert me["phone"] == "13811112222" and me["name"] == "王秀英"


def test_consents_give_and_withdraw_hardship_clears_tier(client, world, login):
    headers = login("resident")
    resp = client.post("/api/v1/me/consents", headers=headers, json={"purpose": "hardship"})
    assert resp.status_code == 201
    sec = login("secretary")
    uid = world.users["resident"].id
    resp = client.put(f"/api/v1/residents/{uid}/need-tier", headers=sec, json={"need_tier": 2})
    assert resp.status_code == 200 and resp.get_json()["need_tier"] == 2
    assert client.post("/api/v1/me/consents/hardship/withdraw", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=headers).get_json()["need_tier"] is None
    again = client.put(f"/api/v1/residents/{uid}/need-tier", headers=sec, json={"need_tier": 2})
    assert again.status_code == 409


def test_need_tier_needs_consent_and_scope(client, world, login):
    uid = world.users["resident"].id
    assert client.put(f"/api/v1/residents/{uid}/need-tier", headers=login("secretary"),
                      json={"need_tier": 1}).status_code == 409
    assert client.put(f"/api/v1/residents/{uid}/need-tier", headers=login("secretary_b"),
                      json={"need_tier": 1}).status_code == 404


def test_communities_and_skills_are_public(client, world):
    resp = client.get("/api/v1/communities")
    assert resp.status_code == 200
    rows = resp.get_json()
    assert {r["name"] for r in rows} == {"甲社区", "乙社区", "丙社区"}
    assert rows[0]["street"] == "测试街道1" and rows[0]["district"] == "测试区"
    assert '"total": 3' in resp.headers["X-Pagination"]
    skills = client.get("/api/v1/skills").get_json()
    assert {"code": "haircut", "name": "理发", "category": "测试"} in skills


def test_admin_grants_and_revokes_roles(client, world, login):
    admin = login("admin")
    resp = client.post("/api/v1/admin/roles", headers=admin,
                       json={"openid": "new-secretary", "role": "secretary",
                             "community_id": world.communities[1].id})
    assert resp.status_code == 201
    grant_id = resp.get_json()["grant_id"]
    new = login("new-secretary")
    assert client.get("/api/v1/volunteers", headers=new).status_code == 200
    assert client.post(f"/api/v1/admin/roles/{grant_id}/revoke", headers=admin).status_code == 200
    assert client.get("/api/v1/volunteers", headers=new).status_code == 403
    assert client.post(f"/api/v1/admin/roles/{grant_id}/revoke", headers=admin).status_code == 409


def test_secretary_cannot_grant_roles(client, world, login):
    resp = client.post("/api/v1/admin/roles", headers=login("secretary"),
                       json={"openid": "x", "role": "admin"})
    assert resp.status_code == 403


def test_role_grants_are_audited(client, world, login):
    from server.audit.models import AuditEntry
    from server.extensions import db
    client.post("/api/v1/admin/roles", headers=login("admin"),
                json={"openid": "v9", "role": "volunteer", "community_id": world.communities[0].id})
    rows = db.session.execute(db.select(AuditEntry).filter_by(action="role.grant")).scalars().all()
    assert len(rows) == 1 and rows[0].actor_role == "admin" and rows[0].request_id


def test_bind_phone_through_wechat_code(client, world, login):
    headers = login("resident")
    resp = client.post("/api/v1/me/phone", headers=headers, json={"code": "fake-phone:13900002222:a"})
    assert resp.status_code == 200 and resp.get_json()["phone"] == "13900002222"
    again = client.post("/api/v1/me/phone", headers=headers, json={"code": "fake-phone:13900002222:a"})
    assert again.status_code == 422
    assert client.post("/api/v1/me/phone", headers=headers, json={"code": "bogus"}).status_code == 422


def test_units_are_public(client, world):
    names = [u["name"] for u in client.get("/api/v1/units").get_json()]
    assert names == ["区委组织部机关党支部", "区人民医院党委"]


def test_a_unit_grant_is_listed_to_the_admin_whose_scope_holds_the_unit(client, world, login):
    """A unit linked to a community inside the admin's scope is inside it: its unit secretary's
    grant is in GET /admin/roles; an unlinked unit's grant is in no admin's list."""
    from server.extensions import db
    from server.identity.models import RoleGrant
    linked, unlinked = world.units
    linked.community_id = world.communities[0].id
    grants = [RoleGrant(user_id=world.users["volunteer"].id, role="unit_secretary",
                        unit_id=unit.id) for unit in (linked, unlinked)]
    db.session.add_all(grants)
    db.session.commit()
    listed = {g["id"] for g in client.get("/api/v1/admin/roles?page_size=100",
                                          headers=login("admin")).get_json()}
    assert grants[0].id in listed and grants[1].id not in listed
