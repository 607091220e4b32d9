"""The demo district loads from nothing, and its printed logins walk the wish flow."""
from server.demo import DEMO_LOGINS, load_demo
from server.wishes.models import Wish


def test_demo_loads_with_wishes_in_every_state_and_working_logins(client, db):
    summary = load_demo(seed=7)
    db.session.commit()
    assert "12 communities" in summary
    states = set(db.session.execute(db.select(Wish.status).distinct()).scalars())
    assert states == {"pending_review", "open", "claimed", "fulfilled", "confirmed", "rejected",
                      "cancelled", "expired"}
    for role, openid, _ in DEMO_LOGINS:
        resp = client.post("/api/v1/auth/wechat-login", json={"code": f"fake:{openid}:t"})
        assert resp.status_code == 200, openid
        roles = resp.get_json()["user"]["roles"]
        assert role in roles or role == "applicant", (openid, roles)


def test_demo_walkthrough(client, db):
    load_demo(seed=7)
    db.session.commit()

    def login(openid):
        token = client.post("/api/v1/auth/wechat-login",
                            json={"code": f"fake:{openid}:w"}).get_json()["token"]
        return {"Authorization": f"Bearer {token}"}

    resident, secretary, volunteer = (login("demo-resident"), login("demo-secretary"),
                                      login("demo-volunteer"))
    before = client.get("/api/v1/points/me", headers=volunteer).get_json()["balance"]
    wid = client.post("/api/v1/wishes", headers=resident, json={
        "title": "台灯不亮了", "description": "请人修台灯", "category": "repair"}).get_json()["id"]
    for path, headers, body in ((f"/wishes/{wid}/review", secretary, {"decision": "approve"}),
                                (f"/wishes/{wid}/claim", volunteer, None),
                                (f"/wishes/{wid}/fulfil", volunteer, {"note": "修好了"}),
                                (f"/wishes/{wid}/confirm", resident, {"rating": 5})):
        assert client.post("/api/v1" + path, headers=headers, json=body).status_code == 200, path
    after = client.get("/api/v1/points/me", headers=volunteer).get_json()["balance"]
    assert after == before + 15
