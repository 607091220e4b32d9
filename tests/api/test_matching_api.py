"""Secretaries run the engine over their community, review its proposals; volunteers decline."""
from server.audit.models import AuditEntry
from server.extensions import db
from server.wishes.models import Wish
from tests.factories import make_wish


def _run(client, headers, **scope):
    resp = client.post("/api/v1/matching/runs", headers=headers, json=scope)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_run_proposes_with_reasons_and_accept_claims(client, world, login):
    make_wish(world, status="open", skills=["appliance_repair"], title="修洗衣机")
    db.session.commit()
    secretary = login("secretary")
    run = _run(client, secretary, community_id=world.communities[0].id)
    assert run["status"] == "done"
    assert run["stats"]["tasks"] == 2 and run["stats"]["matched"] == 2
    proposal = run["proposals"][0]
    assert proposal["reasons"] and proposal["status"] == "proposed"
    assert {"id", "task_type", "task_id", "volunteer_id", "distance_m", "score"} <= set(proposal)
    accepted = client.post(f"/api/v1/matching/proposals/{proposal['id']}/accept", headers=secretary)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    db.session.rollback()
    wish = db.session.get(Wish, proposal["task_id"])
    assert wish.status == "claimed" and wish.claimed_by == proposal["volunteer_id"]
    again = client.get(f"/api/v1/matching/runs/{run['id']}", headers=secretary).get_json()
    assert [p["status"] for p in again["proposals"]].count("accepted") == 1


def test_reject_then_volunteer_declines_accepted(client, world, login):
    make_wish(world, status="open", skills=["appliance_repair"])
    db.session.commit()
    secretary = login("secretary")
    run = _run(client, secretary, community_id=world.communities[0].id)
    first, second = run["proposals"][:2]
    assert client.post(f"/api/v1/matching/proposals/{first['id']}/reject", headers=secretary,
                       json={"reason": "该志愿者本周已很忙"}).get_json()["status"] == "rejected"
    client.post(f"/api/v1/matching/proposals/{second['id']}/accept", headers=secretary)
    owner_key = next(k for k, v in world.volunteers.items() if v.id == second["volunteer_id"])
    volunteer = login(owner_key)
    mine = client.get("/api/v1/matching/proposals/mine", headers=volunteer).get_json()
    assert [p["id"] for p in mine] == [second["id"]]
    declined = client.post(f"/api/v1/matching/proposals/{second['id']}/decline", headers=volunteer,
                           json={"reason": "那天要加班"})
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    db.session.rollback()
    assert db.session.get(Wish, second["task_id"]).status == "open"
    actions = {a.action for a in db.session.execute(db.select(AuditEntry)).scalars()}
    assert {"matching.run", "matching.rejected", "matching.accepted", "matching.declined"} <= actions


def test_proposal_for_a_task_claimed_meanwhile_is_409(client, world, login):
    secretary = login("secretary")
    run = _run(client, secretary, community_id=world.communities[0].id)
    proposal = run["proposals"][0]
    racer = next(k for k, v in world.volunteers.items()
                 if v.id != proposal["volunteer_id"] and k in ("volunteer", "volunteer2"))
    assert client.post(f"/api/v1/wishes/{proposal['task_id']}/claim",
                       headers=login(racer)).status_code == 200
    resp = client.post(f"/api/v1/matching/proposals/{proposal['id']}/accept", headers=secretary)
    assert resp.status_code == 409
    assert client.post(f"/api/v1/matching/proposals/{proposal['id']}/accept",
                       headers=secretary).status_code == 409


def test_empty_runs_explain_themselves(client, world, login):
    secretary = login("street_secretary")
    empty = _run(client, secretary, community_id=world.communities[1].id)  # open_b, volunteer_b
    assert empty["status"] == "done"
    # no volunteers at all in community 3's street for the admin's district-wide scope
    admin = login("admin")
    none = _run(client, admin, community_id=world.communities[2].id)
    assert none["stats"]["tasks"] == 0 and none["message"] == "当前没有待匹配的任务"
    make_wish(world, owner="resident_b", status="open", skills=["legal_advice", "haircut"])
    db.session.commit()
    run = _run(client, secretary, community_id=world.communities[1].id)
    reasons = {u["reason"] for u in run["unmatched"]}
    assert "no_skill" in reasons
    assert all(u["message"] for u in run["unmatched"])


def test_community_without_volunteers(client, world, login):
    c = world.communities[2]
    make_wish(world, owner="resident", status="open", community=c)
    db.session.commit()
    run = _run(client, login("admin"), community_id=c.id)
    assert run["stats"]["volunteers"] == 0 and run["stats"]["matched"] == 0
    assert run["message"] == "当前没有可用的志愿者"
    assert run["unmatched"] and run["unmatched"][0]["message"]


def test_street_run_covers_its_communities(client, world, login):
    run = _run(client, login("street_secretary"), street_id=world.streets[0].id)
    assert run["stats"]["tasks"] == 2 and run["street_id"] == world.streets[0].id


def test_scope_and_input_rules(client, world, login):
    secretary = login("secretary")
    assert client.post("/api/v1/matching/runs", headers=secretary,
                       json={"community_id": world.communities[1].id}).status_code == 404
    assert client.post("/api/v1/matching/runs", headers=secretary, json={}).status_code == 422
    assert client.post("/api/v1/matching/runs", headers=secretary,
                       json={"community_id": 1, "street_id": 1}).status_code == 422
    assert client.post("/api/v1/matching/runs", headers=login("volunteer"),
                       json={"community_id": 1}).status_code == 403


def test_home_visit_orders_are_matched_and_assigned(client, world, login):
    from datetime import timedelta

    from server.timeutil import utcnow
    start = (utcnow() + timedelta(days=1)).replace(hour=1, minute=0, second=0, microsecond=0)
    order = client.post("/api/v1/orders", headers=login("resident2"), json={
        "category": "repair", "skills": ["appliance_repair"], "note": "冰箱不制冷",
        "window_start": start.isoformat(), "window_end": (start + timedelta(hours=8)).isoformat()})
    assert order.status_code == 201, order.get_json()
    secretary = login("secretary")
    run = _run(client, secretary, community_id=world.communities[0].id)
    proposal = next(p for p in run["proposals"] if p["task_type"] == "order")
    assert proposal["task_id"] == order.get_json()["id"]
    resp = client.post(f"/api/v1/matching/proposals/{proposal['id']}/accept", headers=secretary)
    assert resp.status_code == 200, resp.get_json()
    detail = client.get(f"/api/v1/orders/{proposal['task_id']}", headers=secretary).get_json()
    assert detail["status"] == "accepted" and detail["provider_id"] == proposal["volunteer_id"]


def test_a_run_past_its_time_limit_is_stored_as_failed_not_an_error(app, client, world, login):
    make_wish(world, status="open", skills=["appliance_repair"])
    db.session.commit()
    app.config["MATCHING_TIME_LIMIT_S"] = 0.0001  # no solver child can answer that fast
    try:
        run = _run(client, login("secretary"), community_id=world.communities[0].id)
    finally:
        app.config["MATCHING_TIME_LIMIT_S"] = 20.0
    assert run["status"] == "failed" and "求解未完成" in run["message"]
    assert not run.get("proposals")
    db.session.rollback()
    assert db.session.get(Wish, world.wishes["open"].id).status == "open"  # nothing claimed
