"""Hostile users against the volunteer service system (posts, pairings and their proposals,
projects, check-ins, 争六星, 一人一档), rule by rule (docs/security.md). The first tests document
holes found in review (each failed on the code before its fix); the rest are probes that passed
and stay to guard the rules. Bad input and the check-in boundaries are in
tests/api/test_review_service_system_input.py."""
from server.extensions import db
from server.identity.models import RoleGrant
from server.pairings.models import PairingProposal
from server.posts.models import Post, PostHolder
from server.timeutil import utcnow
from tests.concurrency import race
from tests.service_system_b_world import (
    FULL,
    add_peers,
    add_unit_secretary,
    make_checkin_day,
    make_project,
    make_review,
)
from tests.service_system_world import add_volunteer, make_household, make_pairing_run, make_post

API = "/api/v1"


def _leave(client, login, who="volunteer"):
    resp = client.post(f"{API}/volunteers/me/leave", headers=login(who), json={"reason": "搬家"})
    assert resp.status_code == 200, resp.get_json()


def _revoke(world, who):
    for grant in db.session.execute(db.select(RoleGrant).filter_by(
            user_id=world.users[who].id)).scalars():
        grant.revoked_at = utcnow()
    db.session.commit()


# --- holes found (rule 4: access ends with the role) ----------------------------------------------

def test_a_holder_who_left_no_longer_sees_the_post_or_its_logs(client, world, login):
    """Hole: `can_see_post` counted every holder row, ended ones too, so a volunteer who had left
    (their seat ended by policy.membership) still read the post, its holders and its logs."""
    post = make_post(world, seats=2, holders=("volunteer", "volunteer2"))
    db.session.commit()
    assert client.get(f"{API}/posts/{post.id}", headers=login("volunteer")).status_code == 200
    _leave(client, login)
    vol = login("volunteer")
    for path in (f"/posts/{post.id}", f"/posts/{post.id}/logs"):
        resp = client.get(f"{API}{path}", headers=vol)
        assert resp.status_code == 404, (path, resp.get_json())
        assert resp.get_json()["message"] == "岗位不存在"
    # the volunteer who still holds a seat keeps the view
    assert client.get(f"{API}/posts/{post.id}", headers=login("volunteer2")).status_code == 200


def test_a_relieved_holder_from_another_community_no_longer_sees_the_post(client, world, login):
    """Hole (same line): a street secretary may seat a volunteer of community B at a post of A;
    once relieved, that volunteer (active, reporting to B) kept reading A's post and its logs."""
    post = make_post(world, seats=2)
    db.session.commit()
    appointed = client.post(f"{API}/posts/{post.id}/holders", headers=login("street_secretary"),
                            json={"volunteer_id": world.volunteers["volunteer_b"].id})
    assert appointed.status_code == 201, appointed.get_json()
    vol_b = login("volunteer_b")
    assert client.get(f"{API}/posts/{post.id}", headers=vol_b).status_code == 200
    ended = client.post(f"{API}/posts/{post.id}/holders/{appointed.get_json()['id']}/end",
                        headers=vol_b, json={"reason": "换岗"})
    assert ended.status_code == 200, ended.get_json()
    assert client.get(f"{API}/posts/{post.id}", headers=vol_b).status_code == 404
    assert client.get(f"{API}/posts/{post.id}/logs", headers=vol_b).status_code == 404
    assert [p["id"] for p in client.get(f"{API}/posts", headers=vol_b).get_json()] == []


def test_leaving_rejects_the_pairing_proposals_naming_the_leaver(client, world, login):
    """Hole: end_volunteering rejected waiting matching proposals but not pairing proposals, so
    a leaver stayed `proposed` on the run's map, and once they rejoined (the same volunteer row
    comes back) a secretary could still pair them on the old proposal."""
    run, proposal = make_pairing_run(world, volunteer="volunteer2")
    db.session.commit()
    _leave(client, login, "volunteer2")
    db.session.rollback()
    row = db.session.get(PairingProposal, proposal.id)
    assert row.status == "rejected"
    assert row.decision_reason == "志愿者已退出：搬家"
    # they rejoin and are approved again: the old proposal stays closed
    world.volunteers["volunteer2"].status = "active"
    db.session.commit()
    resp = client.post(f"{API}/pairings/proposals/{proposal.id}/accept",
                       headers=login("secretary"))
    assert resp.status_code == 409 and resp.get_json()["message"] == "该结对推荐已处理"
    shown = client.get(f"{API}/pairings/runs/{run.id}", headers=login("secretary")).get_json()
    assert [p["status"] for p in shown["proposals"]] == ["rejected"]


def test_stepping_down_while_being_relieved_frees_the_seat_once(app, client, world, login):
    """Hole (PostgreSQL): relieve_holder read the holder without a lock, so the holder stepping
    down while a secretary relieved them (or a double tap) ended the seat several times and
    lowered `held` once each: a two-seat post then took a third holder. Now the holder row is
    locked and re-read; the others get 409."""
    post = make_post(world, seats=2, holders=("volunteer", "volunteer2"))
    extra = [add_volunteer(world, f"next{i}").id for i in range(2)]
    db.session.commit()
    path = f"{API}/posts/{post.id}/holders/{post.holders[0].id}/end"
    sec, vol = login("secretary"), login("volunteer")
    results = race(app, [("POST", path, h, {}) for h in (sec, vol, sec, vol, sec, vol)])
    codes = sorted(code for code, _ in results)
    assert codes == [200, 409, 409, 409, 409, 409], codes
    assert all(body["message"] == "该任职已结束" for code, body in results if code == 409)
    db.session.rollback()
    assert db.session.get(Post, post.id).held == 1
    seated = [client.post(f"{API}/posts/{post.id}/holders", headers=sec,
                          json={"volunteer_id": v}).status_code for v in extra]
    assert seated == [201, 409]
    active = db.session.execute(db.select(db.func.count()).select_from(PostHolder).where(
        PostHolder.post_id == post.id, PostHolder.status == "active")).scalar_one()
    assert active == 2


def test_completing_while_the_secretary_cancels_never_pays_a_cancelled_project(app, client,
                                                                                world, login):
    """Hole (PostgreSQL): add_update and cancel_project read the project without a lock, so the
    claimer's `done` and the secretary's cancel both succeeded: a cancelled project that had
    credited 10 points (or a done project after its cancel). Now the row is locked and re-read;
    exactly one wins and the other is 409; only a done project can be confirmed (and paid)."""
    from server.points.models import PointsEntry
    from server.projects.models import Project
    for _ in range(3):
        project = make_project(world, status="claimed")
        db.session.commit()
        results = race(app, [
            ("POST", f"{API}/projects/{project.id}/updates", login("volunteer"),
             {"note": "楼道已清理干净", "done": True}),
            ("POST", f"{API}/projects/{project.id}/cancel", login("secretary"), {"reason": "取消"})])
        codes = [code for code, _ in results]
        assert sorted(codes) in ([200, 409], [201, 409]), codes
        db.session.rollback()
        status = db.session.get(Project, project.id).status
        paid = db.session.execute(db.select(db.func.count()).select_from(PointsEntry).where(
            PointsEntry.ref_type == "project", PointsEntry.ref_id == project.id)).scalar_one()
        assert (status, paid) == (("done", 0) if codes[0] == 201 else ("cancelled", 0))
        # points wait for a secretary's confirmation, which a cancelled project never gets
        confirm = client.post(f"{API}/projects/{project.id}/confirm", headers=login("secretary"))
        assert confirm.status_code == (200 if status == "done" else 409), confirm.get_json()
        paid = db.session.execute(db.select(db.func.count()).select_from(PointsEntry).where(
            PointsEntry.ref_type == "project", PointsEntry.ref_id == project.id)).scalar_one()
        assert paid == (1 if status == "done" else 0)


def test_two_secretaries_reviewing_one_star_review_at_once_review_it_once(app, client, world,
                                                                           login):
    """Hole (PostgreSQL): two branch reviews at once both passed the status check; the last
    write won, the other reviewer's scores vanished though both were told 200. Now one is 200
    and the other 409, and the branch reviewer on record is the one whose scores stand."""
    from server.stars.models import StarReview
    for who in ("volunteer", "volunteer2"):
        review = make_review(world, who=who, status="peer_reviewed")
        db.session.commit()
        results = race(app, [
            ("POST", f"{API}/star-reviews/{review.id}/branch-review", login("secretary"),
             {"scores": FULL}),
            ("POST", f"{API}/star-reviews/{review.id}/branch-review", login("street_secretary"),
             {"scores": {**FULL, "zongzhi": 10}})])
        codes = [code for code, _ in results]
        assert sorted(codes) == [200, 409], codes
        db.session.rollback()
        row = db.session.get(StarReview, review.id)
        winner = "secretary" if codes[0] == 200 else "street_secretary"
        assert row.branch_reviewer_id == world.users[winner].id
        assert row.branch_total == (100 if winner == "secretary" else 90)


def test_a_volunteer_leaving_while_claiming_or_being_seated_keeps_nothing(app, client, world,
                                                                          login):
    """Hole (PostgreSQL): a claim (or an appointment) checked the volunteer's status, then wrote;
    a leave committed in between released what existed then, and the claim or seat landed
    after it — a leaver holding a project (blocked for everyone) or a post seat. Now the step
    locks the volunteer's row (policy.membership.lock_active_member), so it serialises with
    the leave: refused, or released by it."""
    from server.projects.models import Project
    for i in range(4):
        key = f"racer{i}"
        add_volunteer(world, key)
        project = make_project(world)
        post = make_post(world, seats=1)
        db.session.commit()
        mine = login(key)
        results = race(app, [
            ("POST", f"{API}/projects/{project.id}/claims", mine, {}),
            ("POST", f"{API}/posts/{post.id}/holders", login("secretary"),
             {"volunteer_id": world.volunteers[key].id}),
            ("POST", f"{API}/volunteers/me/leave", mine, {"reason": "工作调动"})])
        assert results[2][0] == 200, results
        db.session.rollback()
        assert db.session.get(Project, project.id).status == "open", (i, results)
        seats = db.session.execute(db.select(PostHolder).where(
            PostHolder.post_id == post.id, PostHolder.status == "active")).scalars().all()
        assert seats == [] and db.session.get(Post, post.id).held == 0, (i, results)


# --- probes that pass: rule 1, the whole scope -----------------------------------------------------

def test_queries_naming_a_community_outside_the_scope_are_refused(client, world, login):
    b, c = world.communities[1].id, world.communities[2].id
    sec = login("secretary")
    for path in (f"/posts?community_id={b}", f"/pairings?community_id={b}",
                 f"/pairings.xlsx?community_id={b}", f"/pairings/overdue?community_id={b}",
                 f"/pairings/runs?community_id={b}", f"/projects/three-lists?community_id={b}",
                 f"/projects.xlsx?community_id={b}", f"/star-reviews/queue?community_id={b}",
                 f"/star-reviews.xlsx?community_id={b}"):
        resp = client.get(f"{API}{path}", headers=sec)
        assert resp.status_code in (403, 404), (path, resp.status_code)
        assert resp.get_json()["message"]
    street = login("street_secretary")  # street 1 holds A and B, not C
    for path in (f"/pairings?community_id={c}", f"/projects.xlsx?street_id={world.streets[1].id}",
                 f"/star-reviews/queue?role=branch&community_id={c}"):
        assert client.get(f"{API}{path}", headers=street).status_code in (403, 404), path
    assert client.post(f"{API}/pairings/proposals", headers=sec,
                       json={"community_id": b}).status_code == 404


def test_ids_of_another_community_in_paths_and_bodies_are_refused(client, world, login):
    other_post = make_post(world, community=world.communities[1], holders=("volunteer_b",))
    mine = make_post(world)
    household_b = make_household(world, "household_b", community=world.communities[1])
    run, proposal = make_pairing_run(world)
    review_b = make_review(world, who="volunteer_b", status="peer_reviewed")
    db.session.commit()
    sec = login("secretary_b")
    assert client.get(f"{API}/posts/{mine.id}", headers=sec).status_code == 404
    assert client.post(f"{API}/posts/{mine.id}/holders", headers=login("secretary"),
                       json={"volunteer_id": world.volunteers["volunteer_b"].id}).status_code == 404
    holder_b = other_post.holders[0].id
    assert client.post(f"{API}/posts/{mine.id}/holders/{holder_b}/end", headers=login("secretary"),
                       json={}).status_code == 404
    assert client.post(f"{API}/pairings", headers=login("secretary"), json={
        "volunteer_id": world.volunteers["volunteer"].id, "household_id": household_b.id,
        "kind": "one_to_one", "visit_every_days": 7}).status_code == 404
    assert client.post(f"{API}/pairings/proposals/{proposal.id}/accept",
                       headers=sec).status_code == 404
    assert client.get(f"{API}/pairings/runs/{run.id}", headers=sec).status_code == 404
    assert client.post(f"{API}/star-reviews/{review_b.id}/branch-review", headers=login("secretary"),
                       json={"scores": FULL}).status_code == 403
    for who in ("secretary_b", "volunteer_b", "resident"):
        for suffix in ("file", "file.xlsx"):
            resp = client.get(f"{API}/volunteers/{world.volunteers['volunteer'].id}/{suffix}",
                              headers=login(who))
            assert resp.status_code == 404, (who, suffix)
    add_volunteer(world, "volunteer_c", community=world.communities[2])
    db.session.commit()
    assert client.get(f"{API}/volunteers/{world.volunteers['volunteer_c'].id}/file.xlsx",
                      headers=login("street_secretary")).status_code == 404


# --- probes that pass: rule 2, nobody on both sides ------------------------------------------------

def test_a_secretary_who_is_a_volunteer_meets_herself_nowhere(client, world, login):
    from tests.factories import make_volunteer
    sec_user = world.users["secretary"]
    world.volunteers["secretary"] = make_volunteer(sec_user, world.communities[0])
    post = make_post(world, seats=3, holders=("secretary",))
    sec_user.need_tier = 2
    db.session.commit()
    sec = login("secretary")
    log = client.post(f"{API}/posts/{post.id}/logs", headers=sec, json={"note": "值班", "hours": 2})
    assert log.status_code == 201
    own = client.post(f"{API}/posts/{post.id}/logs/{log.get_json()['id']}/decision", headers=sec,
                      json={"decision": "confirm"})
    assert own.status_code == 403 and own.get_json()["message"] == "不能确认本人的履职记录"
    run, proposal = make_pairing_run(world, volunteer="volunteer2", household="secretary")
    db.session.commit()
    accept = client.post(f"{API}/pairings/proposals/{proposal.id}/accept", headers=sec)
    assert accept.status_code == 403
    project = client.post(f"{API}/projects", headers=sec, json={
        "title": "清理楼道", "community_id": world.communities[0].id}).get_json()
    claim = client.post(f"{API}/projects/{project['id']}/claims", headers=sec, json={})
    assert claim.status_code == 409 and claim.get_json()["message"] == "不能认领本人发布的项目"
    review = make_review(world, who="secretary", status="peer_reviewed")
    db.session.commit()
    branch = client.post(f"{API}/star-reviews/{review.id}/branch-review", headers=sec,
                         json={"scores": FULL})
    assert branch.status_code == 403
    assert branch.get_json()["message"] == "不能评议或审定本人的六星评定"
    peer = client.post(f"{API}/star-reviews/{review.id}/peer-scores", headers=sec,
                       json={"scores": FULL})
    assert peer.status_code == 403


def test_the_check_in_is_always_the_callers_own(client, world, login):
    day, venue = make_checkin_day(world)
    db.session.commit()
    body = {"venue_id": venue.id, "lat": venue.lat, "lng": venue.lng,
            "volunteer_id": world.volunteers["volunteer2"].id}
    resp = client.post(f"{API}/service-days/{day.id}/check-ins", headers=login("volunteer"),
                       json=body)
    assert resp.status_code == 422  # no field names someone else
    body.pop("volunteer_id")
    mine = client.post(f"{API}/service-days/{day.id}/check-ins", headers=login("volunteer"),
                       json=body).get_json()
    assert mine["volunteer_id"] == world.volunteers["volunteer"].id
    other = client.post(f"{API}/check-ins/{mine['id']}/check-out", headers=login("volunteer2"))
    assert other.status_code == 404


# --- probes that pass: rule 3, nothing public locates a home ---------------------------------------

def test_public_project_reads_and_results_locate_no_home(client, world, login):
    project = make_project(world, status="claimed", address="甲路1号3单元401室")
    project.lat, project.lng = 30.29684, 120.15237
    approved = make_review(world, who="volunteer2", status="approved")
    db.session.commit()
    for headers in ({}, login("resident"), login("volunteer_b")):
        one = client.get(f"{API}/projects/{project.id}", headers=headers).get_json()
        assert not one.get("address") and not one.get("updates")
        assert (one["approx_lat"], one["approx_lng"]) == (30.3, 120.15)
        assert "30.29684" not in str(one) and "120.15237" not in str(one)
    results = client.get(f"{API}/star-periods/{approved.period.code}/results").get_json()
    assert [r["name"] for r in results] == ["赵*"]


# --- probes that pass: rule 4, access ends with the role -------------------------------------------

def test_a_revoked_secretary_and_a_leaving_peer_lose_their_star_rights(client, world, login):
    peers = add_peers(world)
    ready = make_review(world, who="volunteer", status="peer_reviewed")
    fresh = make_review(world, who="volunteer2", status="self_assessed")
    db.session.commit()
    _leave(client, login, peers[0])
    left = client.post(f"{API}/star-reviews/{fresh.id}/peer-scores", headers=login(peers[0]),
                       json={"scores": FULL})
    assert left.status_code == 403
    assert client.get(f"{API}/star-reviews/{fresh.id}", headers=login(peers[0])).status_code == 404
    _revoke(world, "secretary")
    branch = client.post(f"{API}/star-reviews/{ready.id}/branch-review",
                         headers=login("secretary"), json={"scores": FULL})
    assert branch.status_code == 403


def test_a_revoked_unit_secretary_no_longer_acts_for_the_unit(client, world, login):
    add_unit_secretary(world)
    project = make_project(world, status="claimed", unit=True)
    db.session.commit()
    unit = login("unit_secretary")
    assert client.get(f"{API}/projects/{project.id}", headers=unit).get_json()["address"]
    _revoke(world, "unit_secretary")
    resp = client.post(f"{API}/projects/{project.id}/updates", headers=unit, json={"note": "进行中"})
    assert resp.status_code == 403
    assert not client.get(f"{API}/projects/{project.id}", headers=unit).get_json().get("address")


def test_a_cancelled_volunteer_account_leaves_no_seat_pairing_or_claim(client, world, login):
    post = make_post(world, seats=1, holders=("volunteer",))
    make_household(world)
    run, proposal = make_pairing_run(world, volunteer="volunteer")
    project = make_project(world, status="claimed")
    db.session.commit()
    headers = login("volunteer")
    resp = client.post(f"{API}/me/cancel", headers=headers, json={"confirm": True})
    assert resp.status_code == 200, resp.get_json()
    assert client.get(f"{API}/posts/{post.id}", headers=headers).status_code == 401
    db.session.rollback()
    assert post.held == 0 or db.session.get(type(post), post.id).held == 0
    assert db.session.get(PairingProposal, proposal.id).status == "rejected"
    assert db.session.get(type(project), project.id).status == "open"


def test_a_proposal_id_tells_a_non_secretary_nothing(client, world, login):
    """Hole: a volunteer reviewing a pairing (or matching) proposal got 403 for an id that
    exists and 404 for one that does not — an oracle over ids. Now who may not review is refused
    before the lookup: the same 403 either way."""
    run, proposal = make_pairing_run(world)
    db.session.commit()
    volunteer = login("volunteer")
    for action in ("accept", "reject"):
        real = client.post(f"{API}/pairings/proposals/{proposal.id}/{action}", headers=volunteer,
                           json={})
        none = client.post(f"{API}/pairings/proposals/{proposal.id + 10**6}/{action}",
                           headers=volunteer, json={})
        assert real.status_code == none.status_code == 403, (real.get_json(), none.get_json())
        real = client.post(f"{API}/matching/proposals/{proposal.id}/{action}", headers=volunteer,
                           json={})
        none = client.post(f"{API}/matching/proposals/{10**6}/{action}", headers=volunteer,
                           json={})
        assert real.status_code == none.status_code == 403, (real.get_json(), none.get_json())
