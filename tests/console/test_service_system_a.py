"""The console's pages of issue 16a through the test client: posts, pairings, pairing proposals,
the volunteer's file; scope (another community's staff get 404 or see nothing) and the both-sides
rule for their actions (the same services as the API)."""
from server.excel import read_sheet
from server.extensions import db
from server.pairings.models import Pairing, PairingProposal
from server.posts.models import Post, PostLog
from tests.service_system_world import (
    make_household,
    make_log,
    make_pairing,
    make_pairing_run,
    make_post,
)


def test_posts_page_creates_appoints_and_confirms(console, world):
    post = make_post(world, holders=("volunteer",))
    log = make_log(world, post)
    db.session.commit()
    sec = console("secretary")
    page = sec.get("/console/posts")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "政策宣传岗" in html and f'data-log="{log.id}"' in html
    made = sec.post("/console/posts/create", {"name": "平安巡逻岗", "duties": "夜间巡逻",
                                              "community_id": world.communities[0].id, "seats": 2})
    assert made.status_code == 303
    appointed = sec.post(f"/console/posts/{post.id}/appoint",
                         {"volunteer_id": world.volunteers["volunteer2"].id})
    assert appointed.status_code == 303
    done = sec.post("/console/posts/logs/decide", {"ids": [log.id], "decision": "approve"})
    assert done.status_code == 303
    db.session.rollback()
    assert db.session.get(PostLog, log.id).status == "confirmed"
    assert db.session.get(Post, post.id).held == 2
    assert db.session.execute(db.select(db.func.count()).select_from(Post)).scalar_one() == 2


def test_posts_page_scope_and_both_sides(console, world):
    post = make_post(world, holders=("volunteer",))
    log = make_log(world, post)
    db.session.commit()
    other = console("secretary_b")
    assert f'data-post="{post.id}"' not in other.get("/console/posts").get_data(as_text=True)
    refused = other.post("/console/posts/logs/decide", {"ids": [log.id], "decision": "approve"})
    assert refused.status_code == 404
    outside = other.post("/console/posts/create", {"name": "岗位", "duties": "职责",
                                                    "community_id": world.communities[0].id,
                                                    "seats": 1})
    assert outside.status_code == 404
    # the secretary is also the holder: she may not confirm her own log
    from tests.api.test_both_sides import _secretary_volunteer
    _secretary_volunteer(world)
    own_post = make_post(world, holders=("secretary",))
    own = make_log(world, own_post, holder="secretary")
    db.session.commit()
    sec = console("secretary")
    sec.get("/console/posts")
    resp = sec.post("/console/posts/logs/decide", {"ids": [own.id], "decision": "approve"})
    assert resp.status_code == 403 and "不能确认本人的履职记录" in resp.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(PostLog, own.id).status == "reported"


def test_pairings_page_pairs_ends_and_exports(console, world):
    household = make_household(world)
    overdue = make_pairing(world, days_overdue=3)
    db.session.commit()
    sec = console("secretary")
    html = sec.get("/console/pairings").get_data(as_text=True)
    assert "走访逾期 1 对" in html and household.name in html
    made = sec.post("/console/pairings/create", {
        "volunteer_id": world.volunteers["volunteer2"].id, "household_id": household.id,
        "kind": "elderly", "visit_every_days": 7})
    assert made.status_code == 303
    assert sec.post(f"/console/pairings/{overdue.id}/end", {}).status_code == 303
    export = sec.client.get("/console/pairings.xlsx")
    assert export.status_code == 200
    _, headers, rows = read_sheet(export.data, "结对台账")
    assert headers[0] == "编号" and len([r for r in rows if isinstance(r[0], int)]) == 2
    db.session.rollback()
    assert db.session.get(Pairing, overdue.id).status == "ended"
    other = console("secretary_b")
    assert other.post(f"/console/pairings/{overdue.id}/end", {}).status_code == 404


def test_pairing_proposals_page_runs_and_accepts(console, world):
    make_household(world)
    db.session.commit()
    sec = console("secretary")
    sec.get("/console/pairings/proposals")
    ran = sec.post("/console/pairings/proposals/run", {
        "community_id": world.communities[0].id, "kind": "one_to_one", "visit_every_days": 30})
    assert ran.status_code == 303
    page = sec.get("/console/pairings/proposals").get_data(as_text=True)
    proposal = db.session.execute(db.select(PairingProposal)).scalar_one()
    assert f'data-proposal="{proposal.id}"' in page and "相距" in page
    assert "data-points=" in page and "household_lat" in page
    accepted = sec.post("/console/pairings/proposals/decide",
                        {"ids": [proposal.id], "decision": "approve"})
    assert accepted.status_code == 303
    db.session.rollback()
    assert db.session.get(PairingProposal, proposal.id).status == "accepted"
    assert console("secretary_b").post("/console/pairings/proposals/run", {
        "community_id": world.communities[0].id, "kind": "one_to_one",
        "visit_every_days": 30}).status_code == 404


def test_accepting_a_proposal_naming_oneself_is_refused(console, world):
    from tests.api.test_both_sides import _secretary_volunteer
    volunteer = _secretary_volunteer(world)
    _, proposal = make_pairing_run(world)
    proposal.volunteer_id = volunteer.id
    db.session.commit()
    sec = console("secretary")
    sec.get("/console/pairings/proposals")
    resp = sec.post("/console/pairings/proposals/decide", {"ids": [proposal.id],
                                                           "decision": "approve"})
    assert resp.status_code == 403


def test_volunteer_file_page_and_export(console, world):
    post = make_post(world, holders=("volunteer",))
    make_log(world, post, status="confirmed")
    db.session.commit()
    vid = world.volunteers["volunteer"].id
    sec = console("secretary")
    listing = sec.get("/console/volunteer-files").get_data(as_text=True)
    assert f'data-volunteer="{vid}"' in listing
    page = sec.get(f"/console/volunteers/{vid}/file").get_data(as_text=True)
    assert 'data-section="post_logs"' in page and 'data-figure="hours">1.5<' in page
    export = sec.client.get(f"/console/volunteers/{vid}/file.xlsx")
    assert export.status_code == 200 and read_sheet(export.data, "档案")[0].startswith("李建国")
    other = console("secretary_b")
    assert other.get(f"/console/volunteers/{vid}/file").status_code == 404
    assert other.client.get(f"/console/volunteers/{vid}/file.xlsx").status_code == 404
    assert f'data-volunteer="{vid}"' not in other.get("/console/volunteer-files").get_data(
        as_text=True)


def test_bad_form_input_is_4xx(console, world):
    sec = console("secretary")
    sec.get("/console/posts")
    for path, data in (("/console/posts/create", {"name": "x", "seats": "many"}),
                       ("/console/pairings/create", {"volunteer_id": "-1"}),
                       ("/console/pairings/proposals/run", {"community_id": "99999999999"}),
                       ("/console/posts/logs/decide", {"ids": ["abc"], "decision": "approve"})):
        resp = sec.post(path, data)
        assert 400 <= resp.status_code < 500, (path, resp.status_code)
