"""The console's actions under the hardening rules: scope (a secretary of another community gets
404 and changes nothing) and no one on both sides (server/policy/parties.py), through the same
services as the API, and a batch is all or nothing."""
from server.extensions import db
from server.matching_runs.models import MatchProposal, ProposalStatus
from server.orders.models import ServiceOrder
from server.volunteers.models import Volunteer, VolunteerStatus
from server.wishes.models import Wish, WishStatus
from tests.factories import make_volunteer, make_wish
from tests.order_world import make_visit


def _status(model, ident):
    db.session.rollback()
    return db.session.get(model, ident).status


def _error(resp) -> str:
    return resp.get_data(as_text=True)


# --- scope: community B's secretary and community A's queues ----------------------------------

def test_another_communitys_secretary_sees_no_queue_of_mine(console, world):
    browser = console("secretary_b")
    wishes = browser.get("/console/wishes").get_data(as_text=True)
    assert f'data-wish="{world.wishes["pending"].id}"' not in wishes
    applications = browser.get("/console/volunteers").get_data(as_text=True)
    assert f'data-volunteer="{world.volunteers["applicant"].id}"' not in applications
    assert f'data-volunteer="{world.volunteers["applicant_b"].id}"' in applications
    assert browser.get(f"/console/matching/runs/{world.run.id}").status_code == 404
    assert f"/console/matching/runs/{world.run.id}\"" not in \
        browser.get("/console/matching").get_data(as_text=True)


def test_another_communitys_secretary_cannot_act_on_my_queues(console, world):
    visit = make_visit(world)
    db.session.commit()
    browser = console("secretary_b")
    wish, applicant = world.wishes["pending"].id, world.volunteers["applicant"].id
    assert browser.post("/console/wishes/review", {"ids": wish, "decision": "approve"}) \
        .status_code == 404
    assert browser.post("/console/volunteers/review", {"ids": applicant, "decision": "approve"}) \
        .status_code == 404
    assert browser.post(f"/console/matching/proposals/{world.proposal.id}/accept").status_code == 404
    assert browser.post(f"/console/matching/runs/{world.run.id}/accept").status_code == 404
    assert browser.post(f"/console/orders/{visit.id}/assign", {
        "volunteer_id": world.volunteers["volunteer_b"].id}).status_code in (403, 404)
    assert browser.post("/console/matching/runs", {"scope": f"community:{world.communities[0].id}"}) \
        .status_code == 404
    assert _status(Wish, wish) == WishStatus.PENDING_REVIEW
    assert _status(Volunteer, applicant) == VolunteerStatus.PENDING
    assert _status(MatchProposal, world.proposal.id) == ProposalStatus.PROPOSED
    assert db.session.get(ServiceOrder, visit.id).provider_id is None


def test_the_workbench_counts_only_what_the_pages_show(console, world):
    page_a = console("secretary").get("/console/").get_data(as_text=True)
    page_b = console("secretary_b").get("/console/").get_data(as_text=True)
    count = '<a class="queue {busy}" href="/console/wishes" data-queue="console.wishes">\n    ' \
            '<span class="count">{n}</span>'
    assert count.format(busy="busy", n=1) in page_a
    assert count.format(busy="", n=0) in page_b


# --- no one on both sides ----------------------------------------------------------------------

def test_a_secretary_cannot_approve_their_own_wish_in_the_console(console, world):
    own = make_wish(world, owner="secretary", status="pending_review")
    db.session.commit()
    resp = console("secretary").post("/console/wishes/review", {"ids": own.id,
                                                               "decision": "approve"})
    assert resp.status_code == 403 and "不能审核本人发布的心愿" in _error(resp)
    assert _status(Wish, own.id) == WishStatus.PENDING_REVIEW


def test_a_batch_with_one_refused_item_changes_nothing(console, world):
    own = make_wish(world, owner="secretary", status="pending_review")
    db.session.commit()
    other = world.wishes["pending"].id
    resp = console("secretary").post("/console/wishes/review", {"ids": [other, own.id],
                                                               "decision": "approve"})
    assert resp.status_code == 403 and "本批未做任何更改" in _error(resp)
    assert _status(Wish, other) == WishStatus.PENDING_REVIEW


def test_a_secretary_cannot_admit_themself_as_a_volunteer(console, world):
    own = make_volunteer(world.users["secretary"], world.communities[0], status="pending")
    db.session.commit()
    resp = console("secretary").post("/console/volunteers/review", {"ids": own.id,
                                                                   "decision": "approve"})
    assert resp.status_code == 403 and "不能审核本人的申请" in _error(resp)
    assert _status(Volunteer, own.id) == VolunteerStatus.PENDING


def _secretary_as_volunteer(world) -> Volunteer:
    volunteer = make_volunteer(world.users["secretary"], world.communities[0])
    db.session.commit()
    return volunteer


def test_a_secretary_cannot_assign_a_home_visit_to_themself(console, world):
    me = _secretary_as_volunteer(world)
    visit = make_visit(world)
    db.session.commit()
    resp = console("secretary").post(f"/console/orders/{visit.id}/assign", {"volunteer_id": me.id})
    assert resp.status_code == 403
    db.session.rollback()
    assert db.session.get(ServiceOrder, visit.id).provider_id is None


def test_a_secretary_cannot_accept_a_proposal_that_proposes_themself(console, world):
    me = _secretary_as_volunteer(world)
    world.proposal.volunteer_id = me.id
    db.session.commit()
    browser = console("secretary")
    assert browser.post(f"/console/matching/proposals/{world.proposal.id}/accept").status_code == 403
    assert browser.post(f"/console/matching/runs/{world.run.id}/accept").status_code == 403
    assert _status(MatchProposal, world.proposal.id) == ProposalStatus.PROPOSED


# --- the pages work for those in scope ----------------------------------------------------------

def test_secretary_reviews_assigns_and_decides_in_scope(console, world):
    visit = make_visit(world)
    db.session.commit()
    browser = console("secretary")
    assert browser.post("/console/wishes/review", {"ids": world.wishes["pending"].id,
                                                   "decision": "reject", "reason": "重复"}) \
        .status_code == 303
    assert browser.post("/console/volunteers/review", {
        "ids": world.volunteers["applicant"].id, "decision": "approve"}).status_code == 303
    assert browser.post(f"/console/orders/{visit.id}/assign", {
        "volunteer_id": world.volunteers["volunteer"].id}).status_code == 303
    assert browser.post(f"/console/matching/runs/{world.run.id}/reject").status_code == 303
    assert _status(Wish, world.wishes["pending"].id) == WishStatus.REJECTED
    assert db.session.get(Volunteer, world.volunteers["applicant"].id).status == \
        VolunteerStatus.ACTIVE
    assert db.session.get(ServiceOrder, visit.id).provider_id == world.volunteers["volunteer"].id
    assert db.session.get(MatchProposal, world.proposal.id).status == ProposalStatus.REJECTED


def test_every_page_of_the_registry_opens_for_its_roles(console, world):
    """A street secretary opens every page of a secretary's and is refused the others (a station
    keeper's desk, the leading group's queue): the registry's roles are the page's guard."""
    from console.pages import NAV
    from server.identity.models import Role
    browser = console("street_secretary")
    for page in NAV:
        with browser.client.application.test_request_context():
            from flask import url_for
            path = url_for(page.endpoint)
        expected = 200 if Role.SECRETARY in page.roles else 403
        assert browser.get(path).status_code == expected, page.endpoint


def test_bad_form_input_is_a_4xx_page_never_a_5xx(console, world):
    browser = console("secretary")
    for path, data in (("/console/wishes/review", {"ids": "abc", "decision": "approve"}),
                       ("/console/wishes/review", {"ids": "99999999999", "decision": "approve"}),
                       ("/console/wishes/review", {"decision": "approve"}),
                       ("/console/wishes/review", {"ids": "1", "decision": "maybe"}),
                       ("/console/wishes/review", {"ids": "1", "decision": "reject",
                                                   "reason": "x" * 201}),
                       ("/console/matching/runs", {"scope": "district:1"}),
                       ("/console/matching/runs", {"scope": "community:x"}),
                       ("/console/orders/1/assign", {"volunteer_id": "-1"}),
                       ("/console/matching/proposals/999999/accept", {})):
        resp = browser.post(path, data)
        assert 400 <= resp.status_code < 500, (path, data, resp.status_code)
        assert "<h1>" in resp.get_data(as_text=True)


def test_an_unknown_console_path_is_the_consoles_404_page(console, world):
    resp = console("secretary").get("/console/no-such-page")
    assert resp.status_code == 404 and "<h1>404</h1>" in resp.get_data(as_text=True)


def _map_of(html: str) -> dict:
    import json
    import re
    return json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>',
                                html, re.S).group(1))


def test_maps_show_only_coarse_positions_never_a_home(console, world):
    visit = make_visit(world)
    db.session.commit()
    browser = console("secretary")
    for path in (f"/console/matching/runs/{world.run.id}", "/console/orders"):
        drawn = _map_of(browser.get(path).get_data(as_text=True))
        assert drawn["points"], path
        exact = {(round(u.lat, 6), round(u.lng, 6)) for u in world.users.values() if u.lat}
        exact |= {(visit.lat, visit.lng)}
        for mark in drawn["points"]:
            assert abs(mark["lat"] * 100 - round(mark["lat"] * 100)) < 1e-6, mark  # a cell centre
            assert abs(mark["lng"] * 100 - round(mark["lng"] * 100)) < 1e-6, mark
            assert (mark["lat"], mark["lng"]) not in exact, mark


def test_a_tile_server_is_drawn_and_allowed_only_when_configured(app, console, world):
    browser = console("secretary")
    plain = browser.get(f"/console/matching/runs/{world.run.id}")
    assert _map_of(plain.get_data(as_text=True))["tiles"] == ""
    assert "img-src 'self' data:;" in plain.headers["Content-Security-Policy"]
    app.config["CONSOLE_TILE_URL"] = "https://tiles.intranet.example/{z}/{x}/{y}.png"
    try:
        tiled = browser.get(f"/console/matching/runs/{world.run.id}")
    finally:
        app.config["CONSOLE_TILE_URL"] = ""
    assert _map_of(tiled.get_data(as_text=True))["tiles"].startswith("https://tiles.intranet")
    assert "img-src 'self' data: https://tiles.intranet.example;" in \
        tiled.headers["Content-Security-Policy"]
    assert "script-src 'self';" in tiled.headers["Content-Security-Policy"]


def test_accepting_all_of_a_run_accepts_every_waiting_proposal(console, world):
    resp = console("secretary").post(f"/console/matching/runs/{world.run.id}/accept")
    assert resp.status_code == 303
    assert _status(MatchProposal, world.proposal.id) == ProposalStatus.ACCEPTED
    assert db.session.get(Wish, world.wishes["open"].id).status == WishStatus.CLAIMED
    again = console("secretary").post(f"/console/matching/runs/{world.run.id}/accept")
    assert again.status_code == 422  # nothing left to decide
