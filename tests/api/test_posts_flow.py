"""设岗定职 end to end: a secretary defines a post and appoints holders (seats limit → 409, also
when racing); the holder logs duty hours; a secretary (not the holder) confirms → points; a
holder who leaves loses the post."""
import pytest

from server.extensions import db
from server.points.models import PointsEntry
from server.posts.models import Post, PostHolder
from tests.concurrency import race
from tests.service_system_world import add_volunteer, make_post

API = "/api/v1"
POST = {"name": "矛盾调解岗", "community_id": None, "duties": "调解邻里纠纷", "seats": 1}


def _create(client, world, login, seats=1):
    body = {**POST, "community_id": world.communities[0].id, "seats": seats}
    resp = client.post(f"{API}/posts", headers=login("secretary"), json=body)
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_post_holder_log_confirm_credits_points(client, world, login):
    post = _create(client, world, login)
    assert post["seats"] == 1 and post["held"] == 0 and post["holders"] == []
    sec = login("secretary")
    vid = world.volunteers["volunteer"].id
    held = client.post(f"{API}/posts/{post['id']}/holders", headers=sec, json={"volunteer_id": vid})
    assert held.status_code == 201 and held.get_json()["status"] == "active"
    full = client.post(f"{API}/posts/{post['id']}/holders", headers=sec,
                       json={"volunteer_id": world.volunteers["volunteer2"].id})
    assert full.status_code == 409 and full.get_json()["message"] == "该岗位名额已满"
    again = client.post(f"{API}/posts/{post['id']}/holders", headers=sec, json={"volunteer_id": vid})
    assert again.status_code == 409
    other = client.post(f"{API}/posts/{post['id']}/logs", headers=login("volunteer2"),
                        json={"note": "巡逻一小时", "hours": 1})
    assert other.status_code == 403  # not a holder
    log = client.post(f"{API}/posts/{post['id']}/logs", headers=login("volunteer"),
                      json={"note": "调解楼上漏水纠纷", "hours": 1.5})
    assert log.status_code == 201 and log.get_json()["status"] == "reported"
    assert log.get_json()["hours"] == 1.5
    before = db.session.execute(db.select(db.func.count()).select_from(PointsEntry)).scalar_one()
    assert before == 0  # nothing before a secretary confirms
    lid = log.get_json()["id"]
    done = client.post(f"{API}/posts/{post['id']}/logs/{lid}/decision", headers=sec,
                       json={"decision": "confirm"})
    assert done.status_code == 200 and done.get_json()["status"] == "confirmed"
    twice = client.post(f"{API}/posts/{post['id']}/logs/{lid}/decision", headers=sec,
                        json={"decision": "reject"})
    assert twice.status_code == 409
    entry = db.session.execute(db.select(PointsEntry)).scalar_one()
    assert (entry.volunteer_id, entry.reason, entry.delta) == (vid, "post_duty", 3)
    listed = client.get(f"{API}/posts/{post['id']}/logs", headers=login("volunteer"))
    assert [row["id"] for row in listed.get_json()] == [lid]


def test_holder_steps_down_and_the_seat_is_free(client, world, login):
    post = make_post(world, seats=1, holders=("volunteer",))
    db.session.commit()
    holder = post.holders[0]
    resp = client.post(f"{API}/posts/{post.id}/holders/{holder.id}/end",
                       headers=login("volunteer"), json={})
    assert resp.status_code == 200 and resp.get_json()["status"] == "ended"
    again = client.post(f"{API}/posts/{post.id}/holders/{holder.id}/end",
                        headers=login("secretary"), json={})
    assert again.status_code == 409
    take = client.post(f"{API}/posts/{post.id}/holders", headers=login("secretary"),
                       json={"volunteer_id": world.volunteers["volunteer2"].id})
    assert take.status_code == 201


def test_a_holder_who_leaves_loses_the_post(client, world, login):
    post = make_post(world, seats=1, holders=("volunteer",))
    db.session.commit()
    left = client.post(f"{API}/volunteers/me/leave", headers=login("volunteer"), json={})
    assert left.status_code == 200, left.get_json()
    db.session.rollback()
    assert db.session.get(Post, post.id).held == 0
    assert db.session.execute(db.select(PostHolder.status)).scalar_one() == "ended"
    log = client.post(f"{API}/posts/{post.id}/logs", headers=login("volunteer"),
                      json={"note": "还想记一笔", "hours": 1})
    assert log.status_code in (403, 404)


def test_secretary_out_of_scope_and_residents_are_refused(client, world, login):
    body = {**POST, "community_id": world.communities[0].id}
    assert client.post(f"{API}/posts", headers=login("secretary_b"), json=body).status_code == 404
    assert client.post(f"{API}/posts", headers=login("resident"), json=body).status_code == 403
    post = make_post(world)
    db.session.commit()
    assert client.get(f"{API}/posts/{post.id}", headers=login("secretary_b")).status_code == 404
    assert client.get(f"{API}/posts/{post.id}", headers=login("resident")).status_code == 404
    assert client.get(f"{API}/posts/{post.id}", headers=login("volunteer")).status_code == 200
    listed = client.get(f"{API}/posts", headers=login("street_secretary")).get_json()
    assert [p["id"] for p in listed] == [post.id]
    outside = client.get(f"{API}/posts?community_id={world.communities[2].id}",
                         headers=login("secretary"))
    assert outside.status_code == 404
    vol_b = client.post(f"{API}/posts/{post.id}/holders", headers=login("secretary"),
                        json={"volunteer_id": world.volunteers["volunteer_b"].id})
    assert vol_b.status_code == 404  # a volunteer of another community


@pytest.mark.parametrize("body", [
    {"name": "x"}, {"name": "岗位", "community_id": "a", "duties": "职责", "seats": 1},
    {"name": "岗位", "community_id": 1, "duties": "职责", "seats": 0},
    {"name": "岗位", "community_id": 1, "duties": "职责", "seats": 10**12},
    {"name": "岗位", "community_id": 2**40, "duties": "职责", "seats": 1},
    {"name": "岗\x00位", "community_id": 1, "duties": "职责", "seats": 1}, [], "x"])
def test_bad_post_input_is_4xx(client, world, login, body):
    resp = client.post(f"{API}/posts", headers=login("secretary"), json=body)
    assert 400 <= resp.status_code < 500, resp.get_json()


@pytest.mark.parametrize("body", [{"note": "巡逻", "hours": 0}, {"note": "巡逻", "hours": 25},
                                  {"note": "巡逻", "hours": "NaN"}, {"hours": 1}, {"note": "x"}])
def test_bad_log_input_is_4xx(client, world, login, body):
    post = make_post(world, holders=("volunteer",))
    db.session.commit()
    resp = client.post(f"{API}/posts/{post.id}/logs", headers=login("volunteer"), json=body)
    assert resp.status_code == 422, resp.get_json()


def test_twenty_concurrent_appointments_fill_three_seats(app, client, world, login):
    post = make_post(world, seats=3)
    keys = [f"racer{i}" for i in range(20)]
    ids = [add_volunteer(world, key).id for key in keys]
    db.session.commit()
    head = login("secretary")
    results = race(app, [("POST", f"{API}/posts/{post.id}/holders", head, {"volunteer_id": v})
                         for v in ids])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 3 and codes.count(409) == 17, codes
    db.session.rollback()
    assert db.session.get(Post, post.id).held == 3
    active = db.session.execute(db.select(db.func.count()).select_from(PostHolder)
                                .where(PostHolder.post_id == post.id)).scalar_one()
    assert active == 3


def test_a_volunteer_sees_the_posts_of_the_community_they_report_to(client, world, login):
    post = make_post(world)
    volunteer = world.volunteers["volunteer_b"]
    volunteer.community_id = world.communities[0].id  # lives in B, reports to A
    db.session.commit()
    listed = client.get(f"{API}/posts", headers=login("volunteer_b")).get_json()
    assert [p["id"] for p in listed] == [post.id]
    assert client.get(f"{API}/posts/{post.id}", headers=login("volunteer_b")).status_code == 200
    volunteer.status = "left"
    db.session.commit()
    assert client.get(f"{API}/posts", headers=login("volunteer_b")).status_code == 404
    assert client.get(f"{API}/posts/{post.id}", headers=login("volunteer_b")).status_code == 404
