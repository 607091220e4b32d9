"""项目清单 through the API: publish → claim (unit or volunteer) → updates → done, cancel; who may
do each step; the public list locates no home; the three lists side by side; races; bad input."""
import pytest

from server.audit.models import AuditEntry
from server.extensions import db
from server.points.models import PointsEntry
from server.projects.models import Project
from tests.concurrency import race
from tests.factories import make_user, make_volunteer, make_wish
from tests.order_world import make_offering
from tests.service_system_b_world import add_unit_secretary, make_project

API = "/api/v1"
HOME = {"address": "甲路1号3单元502", "lat": 30.29712, "lng": 120.15263}


def _publish(client, login, **extra):
    body = {"title": "为独居老人整理院子", "description": "周末整理院子", "category": "elderly",
            "community_id": 1, **HOME, **extra}
    resp = client.post(f"{API}/projects", headers=login("secretary"), json=body)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_unit_claims_reports_and_completes(client, world, login):
    add_unit_secretary(world)
    db.session.commit()
    project = _publish(client, login)
    assert project["status"] == "open" and project["address"] == HOME["address"]
    unit = world.units[0].id
    resp = client.post(f"{API}/projects/{project['id']}/claims", headers=login("unit_secretary"),
                       json={"unit_id": unit})
    assert resp.status_code == 201 and resp.get_json()["claimer_kind"] == "unit"
    again = client.post(f"{API}/projects/{project['id']}/claims", headers=login("volunteer"),
                        json={})
    assert again.status_code == 409 and again.get_json()["message"]
    assert client.post(f"{API}/projects/{project['id']}/updates", headers=login("volunteer"),
                       json={"note": "我也来"}).status_code == 403
    half = client.post(f"{API}/projects/{project['id']}/updates",
                       headers=login("unit_secretary"), json={"note": "清理一半", "progress": 50})
    assert half.status_code == 201 and half.get_json()["progress"] == 50
    done = client.post(f"{API}/projects/{project['id']}/updates",
                       headers=login("unit_secretary"), json={"note": "完成", "done": True})
    assert done.status_code == 201 and done.get_json()["progress"] == 100
    detail = client.get(f"{API}/projects/{project['id']}", headers=login("unit_secretary"))
    assert detail.get_json()["status"] == "done" and len(detail.get_json()["updates"]) == 2
    late = client.post(f"{API}/projects/{project['id']}/updates",
                       headers=login("unit_secretary"), json={"note": "再报", "done": True})
    assert late.status_code == 409
    cancel = client.post(f"{API}/projects/{project['id']}/cancel", headers=login("secretary"),
                         json={"reason": "撤回"})
    assert cancel.status_code == 409
    actions = set(db.session.execute(db.select(AuditEntry.action).filter_by(
        object_type="project")).scalars())
    assert {"project.create", "project.claim", "project.update", "project.done"} <= actions


def test_a_unit_secretary_claims_only_for_their_own_unit(client, world, login):
    add_unit_secretary(world)
    project = make_project(world)
    db.session.commit()
    resp = client.post(f"{API}/projects/{project.id}/claims", headers=login("unit_secretary"),
                       json={"unit_id": world.units[1].id})
    assert resp.status_code == 403
    resp = client.post(f"{API}/projects/{project.id}/claims", headers=login("volunteer"),
                       json={"unit_id": world.units[0].id})
    assert resp.status_code == 403  # a volunteer is not the unit's secretary


def test_points_wait_for_a_secretarys_confirmation_and_are_credited_once(client, world, login):
    """claimer/confirmer (DESIGN.md): the claimer's own "done" pays nothing; a secretary in
    scope confirms (never the claimer, never out of scope, only once, only when done)."""
    project = make_project(world)
    db.session.commit()
    path = f"{API}/projects/{project.id}"

    def credits():
        return db.session.execute(db.select(PointsEntry).filter_by(
            reason="project_done", ref_id=project.id)).scalars().all()

    assert client.post(f"{path}/claims", headers=login("volunteer"), json={}).status_code == 201
    early = client.post(f"{path}/confirm", headers=login("secretary"))
    assert early.status_code == 409 and early.get_json()["message"], early.get_json()
    assert client.post(f"{path}/updates", headers=login("volunteer"),
                       json={"note": "已完成", "done": True}).status_code == 201
    assert credits() == []  # done by the claimer alone: no points yet
    assert client.post(f"{path}/confirm", headers=login("volunteer")).status_code in (403, 404)
    assert client.post(f"{path}/confirm", headers=login("secretary_b")).status_code == 404
    assert credits() == []
    done = client.post(f"{path}/confirm", headers=login("secretary"))
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["status"] == "done" and done.get_json()["confirmed_at"]
    assert [c.volunteer_id for c in credits()] == [world.volunteers["volunteer"].id]
    again = client.post(f"{path}/confirm", headers=login("street_secretary"))
    assert again.status_code == 409
    assert len(credits()) == 1


def test_a_secretary_who_claimed_a_project_cannot_confirm_it(client, world, login):
    """The secretary, also a volunteer, claimed a project of her community as a volunteer: the
    confirmation (and the points) must come from someone else."""
    make_volunteer(world.users["secretary"], world.communities[0])
    project = make_project(world, title="绿化带补种")
    db.session.commit()
    db.session.execute(db.update(Project).where(Project.id == project.id).values(
        created_by=world.users["street_secretary"].id))
    db.session.commit()
    path = f"{API}/projects/{project.id}"
    assert client.post(f"{path}/claims", headers=login("secretary"), json={}).status_code == 201
    assert client.post(f"{path}/updates", headers=login("secretary"),
                       json={"note": "已完成", "done": True}).status_code == 201
    own = client.post(f"{path}/confirm", headers=login("secretary"))
    assert own.status_code == 403 and "本人认领的项目" in own.get_json()["message"]
    assert client.post(f"{path}/confirm", headers=login("street_secretary")).status_code == 200


def test_cancel_by_the_secretary_in_scope_only(client, world, login):
    project = make_project(world, status="claimed")
    db.session.commit()
    assert client.post(f"{API}/projects/{project.id}/cancel", headers=login("secretary_b"),
                       json={"reason": "撤回"}).status_code == 404
    resp = client.post(f"{API}/projects/{project.id}/cancel", headers=login("secretary"),
                       json={"reason": "撤回"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "cancelled"
    assert client.post(f"{API}/projects/{project.id}/claims", headers=login("volunteer2"),
                       json={}).status_code == 409
    assert client.post(f"{API}/projects/{project.id}/updates", headers=login("volunteer"),
                       json={"note": "继续"}).status_code == 409


def test_the_public_list_locates_no_home(client, world, login):
    project = _publish(client, login)
    for headers in ({}, login("resident"), login("volunteer2")):
        listed = client.get(f"{API}/projects?community_id=1", headers=headers).get_json()
        item = next(p for p in listed if p["id"] == project["id"])
        assert item["address"] is None and item["updates"] == []
        assert "lat" not in item and "lng" not in item
        assert (item["approx_lat"], item["approx_lng"]) == (30.3, 120.15)
        one = client.get(f"{API}/projects/{project['id']}", headers=headers).get_json()
        assert one["address"] is None
    assert HOME["address"] not in client.get(f"{API}/projects").get_data(as_text=True)


def test_list_filters_by_status_and_street(client, world, login):
    for status in ("open", "claimed", "done", "cancelled"):
        make_project(world, status=status)
    make_project(world, community=world.communities[2])
    db.session.commit()
    assert [p["status"] for p in client.get(f"{API}/projects?status=done").get_json()] == ["done"]
    street2 = client.get(f"{API}/projects?street_id={world.streets[1].id}").get_json()
    assert [p["community_id"] for p in street2] == [world.communities[2].id]
    mine = client.get(f"{API}/projects/mine", headers=login("volunteer")).get_json()
    assert {p["status"] for p in mine} == {"claimed", "done"}


def test_three_lists_side_by_side(client, world, login):
    make_wish(world, status="open", title="要一件棉衣")
    make_offering(world, title="义务理发")
    make_project(world, title="清理楼道")
    make_project(world, title="已结束", status="done")
    db.session.commit()
    resp = client.get(f"{API}/projects/three-lists?community_id=1", headers=login("secretary"))
    body = resp.get_json()
    assert resp.status_code == 200
    assert "要一件棉衣" in {n["title"] for n in body["needs"] if n["kind"] == "wish"}
    assert "义务理发" in {r["title"] for r in body["resources"]}
    assert [p["title"] for p in body["projects"]] == ["清理楼道"]
    assert client.get(f"{API}/projects/three-lists?community_id={world.communities[1].id}",
                      headers=login("secretary")).status_code == 403


def test_ten_concurrent_claims_one_winner(app, client, world, login):
    a = world.communities[0]
    for i in range(10):
        make_volunteer(make_user(f"claimer{i}", a), a)
    project = make_project(world)
    db.session.commit()
    heads = [login(f"claimer{i}") for i in range(10)]
    results = race(app, [("POST", f"{API}/projects/{project.id}/claims", h, {}) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == 9, codes
    db.session.rollback()
    assert db.session.get(Project, project.id).status == "claimed"


@pytest.mark.parametrize("body", [
    {}, {"title": "x", "community_id": 1}, {"title": "楼道清理", "community_id": 0},
    {"title": "楼道清理", "community_id": 99999}, {"title": "楼道清理", "community_id": "甲"},
    {"title": "楼道清理", "community_id": 1, "lat": 30.2}, {"title": "楼道清理", "community_id": 1,
                                                        "category": "nope"},
    {"title": "楼道清理", "community_id": 1, "seats": 0}, {"title": ["a"], "community_id": 1},
    {"title": "楼道清理", "community_id": 2**40}, {"title": "楼道清理", "community_id": 1, "x": 1},
])
def test_bad_project_input_is_422(client, world, login, body):
    resp = client.post(f"{API}/projects", headers=login("secretary"), json=body)
    assert resp.status_code == 422, resp.get_json()


@pytest.mark.parametrize("body", [{"note": ""}, {"note": "x" * 501}, {"note": "ok", "progress": 101},
                                  {"note": "ok", "progress": -1}, {"note": "ok", "done": "maybe"},
                                  {"note": "ok", "progress": 100}])
def test_bad_update_input_is_422(client, world, login, body):
    project = make_project(world, status="claimed")
    db.session.commit()
    resp = client.post(f"{API}/projects/{project.id}/updates", headers=login("volunteer"),
                       json=body)
    assert resp.status_code == 422, resp.get_json()


def test_a_leaving_volunteer_gives_back_claimed_projects(client, world, login):
    mine = make_project(world, status="claimed")
    unit_claimed = make_project(world, status="claimed", unit=True)
    finished = make_project(world, status="done")
    db.session.commit()
    resp = client.post(f"{API}/volunteers/me/leave", headers=login("volunteer"),
                       json={"reason": "工作调动"})
    assert resp.status_code == 200, resp.get_json()
    db.session.rollback()
    assert db.session.get(Project, mine.id).status == "open"
    assert db.session.get(Project, mine.id).claimed_volunteer_id is None
    assert db.session.get(Project, unit_claimed.id).status == "claimed"
    assert db.session.get(Project, finished.id).status == "done"
    assert client.post(f"{API}/projects/{mine.id}/updates", headers=login("volunteer"),
                       json={"note": "还在做"}).status_code == 403
