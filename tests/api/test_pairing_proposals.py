"""The engine's pairing proposals through the API: a secretary runs them for her community's
unpaired households, every proposal has reasons and coarse map positions, accepting makes the
pairing (once), rejecting leaves the household unpaired; scope and roles."""
from server.extensions import db
from server.pairings.models import Pairing
from server.policy.location import coarse_point
from tests.factories import make_wish
from tests.service_system_world import make_household, make_pairing_run

API = "/api/v1"


def _households(world):
    a = world.communities[0]
    first = make_household(world, "household", a)
    second = make_household(world, "household2", a)
    second.lat, second.lng = a.lat + 0.004, a.lng + 0.003
    make_wish(world, owner="household", skills=["appliance_repair"])
    world.volunteers["volunteer2"].skills = ["haircut"]
    db.session.commit()
    return first, second


def test_run_accept_reject(client, world, login):
    first, second = _households(world)
    sec = login("secretary")
    run = client.post(f"{API}/pairings/proposals", headers=sec,
                      json={"community_id": world.communities[0].id, "visit_every_days": 21})
    assert run.status_code == 201, run.get_json()
    body = run.get_json()
    assert body["stats"]["households"] == 2 and body["stats"]["paired"] == 2
    proposals = {p["household_id"]: p for p in body["proposals"]}
    assert set(proposals) == {first.id, second.id}
    for p in proposals.values():
        assert p["reasons"] and any("公里" in r or "米" in r for r in p["reasons"])
        home = first if p["household_id"] == first.id else second
        assert (p["map"]["household_lat"], p["map"]["household_lng"]) == coarse_point(
            home.lat, home.lng)
    skilled = proposals[first.id]
    assert skilled["volunteer_id"] == world.volunteers["volunteer"].id
    assert "具备该户所需技能：电器维修" in skilled["reasons"]
    accepted = client.post(f"{API}/pairings/proposals/{skilled['id']}/accept", headers=sec)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    assert client.post(f"{API}/pairings/proposals/{skilled['id']}/accept",
                       headers=sec).status_code == 409
    pairing = db.session.execute(db.select(Pairing)).scalar_one()
    assert (pairing.household_id, pairing.visit_every_days) == (first.id, 21)
    other = proposals[second.id]
    rejected = client.post(f"{API}/pairings/proposals/{other['id']}/reject", headers=sec,
                           json={"reason": "再看看"})
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    again = client.post(f"{API}/pairings/proposals", headers=sec,
                        json={"community_id": world.communities[0].id}).get_json()
    assert [p["household_id"] for p in again["proposals"]] == [second.id]  # only the unpaired
    shown = client.get(f"{API}/pairings/runs/{body['id']}", headers=sec).get_json()
    assert sorted(p["status"] for p in shown["proposals"]) == ["accepted", "rejected"]
    runs = client.get(f"{API}/pairings/runs", headers=sec).get_json()
    assert len(runs) == 2


def test_map_positions_are_coarse(client, world, login):
    first, _ = _households(world)
    first.lat, first.lng = 30.29684, 120.15237
    db.session.commit()
    body = client.post(f"{API}/pairings/proposals", headers=login("secretary"),
                       json={"community_id": world.communities[0].id}).get_json()
    for p in body["proposals"]:
        lat, lng = p["map"]["household_lat"], p["map"]["household_lng"]
        assert round(lat * 100, 6) == round(lat * 100) and round(lng * 100, 6) == round(lng * 100)


def test_accepting_after_the_household_was_paired_is_409(client, world, login):
    run, proposal = make_pairing_run(world)
    db.session.commit()
    sec = login("secretary")
    direct = client.post(f"{API}/pairings", headers=sec, json={
        "volunteer_id": world.volunteers["volunteer"].id, "household_id": proposal.household_id,
        "kind": "elderly", "visit_every_days": 7})
    assert direct.status_code == 201
    late = client.post(f"{API}/pairings/proposals/{proposal.id}/accept", headers=sec)
    assert late.status_code == 409 and late.get_json()["message"] == "该户已有结对志愿者"


def test_scope_and_roles(client, world, login):
    run, proposal = make_pairing_run(world)
    db.session.commit()
    body = {"community_id": world.communities[0].id}
    assert client.post(f"{API}/pairings/proposals", headers=login("secretary_b"),
                       json=body).status_code == 404
    assert client.post(f"{API}/pairings/proposals", headers=login("volunteer"),
                       json=body).status_code == 403
    assert client.get(f"{API}/pairings/runs/{run.id}", headers=login("secretary_b")).status_code == 404
    assert client.post(f"{API}/pairings/proposals/{proposal.id}/accept",
                       headers=login("secretary_b")).status_code == 404
    assert client.post(f"{API}/pairings/proposals/{proposal.id}/accept",
                       headers=login("volunteer")).status_code == 403
    for bad in ({"community_id": 2**40}, {"community_id": "x"}, {}, {"community_id": 1,
                                                                     "kind": "nope"}):
        resp = client.post(f"{API}/pairings/proposals", headers=login("secretary"), json=bad)
        assert 400 <= resp.status_code < 500
