"""Issue 10, findings 3, 4, 5, 11 and 17: the review's attacks, replayed through the API.

3  self-dealing: a secretary who is also a volunteer approves herself, claims, fulfils and
   confirms for points, serves an order and rates it "on behalf", accepts a proposal naming her.
4  leavers: a volunteer who left sees no phone or address and is credited no points.
5  instant completion: no completion before the slot (or the visit's / wish's window) begins.
11 proposal races: accept and decline of one proposal at once leave it and its task agreeing.
17 no-show clock: starts at the wish's window or the assignment's scheduled start.
"""
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from server.extensions import db
from server.identity.actor import SYSTEM
from server.identity.services import load_actor
from server.matching_runs.models import MatchProposal
from server.orders.models import ServiceOrder
from server.points.models import PointsEntry
from server.timeutil import utcnow
from server.volunteers.models import Volunteer
from server.wishes.maintenance import release_stale_claims
from server.wishes.models import Wish, WishClaim
from server.wishes.services import claim_wish
from tests.concurrency import race
from tests.factories import make_volunteer, make_wish
from tests.order_world import make_offering, make_order, make_visit, start_now

API = "/api/v1"
PHONE, ADDRESS = "13811112222", "甲路1号"   # world.users["resident"]


def _points(volunteer_id=None) -> int:
    db.session.rollback()  # a fresh snapshot after requests committed elsewhere
    query = db.select(db.func.count()).select_from(PointsEntry)
    if volunteer_id is not None:
        query = query.where(PointsEntry.volunteer_id == volunteer_id)
    return db.session.execute(query).scalar_one()


def _secretary_volunteer(world) -> Volunteer:
    """The review's attacker: community A's secretary, also an active volunteer there."""
    volunteer = make_volunteer(world.users["secretary"], world.communities[0])
    world.volunteers["secretary"] = volunteer
    db.session.commit()
    return volunteer


def _post(client, path, headers, body=None):
    return client.post(API + path, headers=headers, json=body or {})


# --- finding 3: applicant/approver ---------------------------------------------------------------

def test_secretary_cannot_approve_her_own_application(client, world, login):
    secretary = login("secretary")
    applied = _post(client, "/volunteers/apply", secretary, {
        "skills": ["haircut"], "capacity_per_day": 1, "lat": 30.29, "lng": 120.15,
        "availability": [{"weekday": 5, "start": "09:00", "end": "12:00"}]})
    assert applied.status_code == 201
    vid = applied.get_json()["id"]
    refused = _post(client, f"/volunteers/{vid}/approve", secretary)
    assert refused.status_code == 403 and "本人" in refused.get_json()["message"]
    db.session.rollback()
    assert db.session.get(Volunteer, vid).status == "pending"
    # Another secretary of the community (the street's) may approve her.
    assert _post(client, f"/volunteers/{vid}/approve", login("street_secretary")).status_code == 200


def test_admin_cannot_grant_herself_a_role(client, world, login):
    for role in ("volunteer", "secretary"):
        resp = _post(client, "/admin/roles", login("admin"),
                     {"openid": "admin", "role": role, "community_id": world.communities[0].id})
        assert resp.status_code == 403, (role, resp.get_json())
    db.session.rollback()
    assert db.session.execute(db.select(Volunteer).filter_by(
        user_id=world.users["admin"].id)).scalar_one_or_none() is None


# --- finding 3: owner/reviewer, owner/claimer, claimer/confirmer ---------------------------------

def test_secretary_cannot_review_or_claim_her_own_wish(client, world, login):
    _secretary_volunteer(world)
    pending = make_wish(world, owner="secretary", status="pending_review")
    mine_open = make_wish(world, owner="secretary", status="open")
    db.session.commit()
    secretary = login("secretary")
    assert _post(client, f"/wishes/{pending.id}/review", secretary,
                 {"decision": "approve"}).status_code == 403
    assert _post(client, f"/wishes/{mine_open.id}/claim", secretary).status_code == 409


def test_secretary_claims_fulfils_and_cannot_confirm_for_points(client, world, login):
    volunteer = _secretary_volunteer(world)
    secretary, wid = login("secretary"), world.wishes["open"].id
    assert _post(client, f"/wishes/{wid}/claim", secretary).status_code == 200
    assert _post(client, f"/wishes/{wid}/fulfil", secretary, {"note": "已送到"}).status_code == 200
    refused = _post(client, f"/wishes/{wid}/confirm", secretary, {"rating": 5})
    assert refused.status_code == 403, refused.get_json()
    assert _points(volunteer.id) == 0
    db.session.rollback()
    assert db.session.get(Wish, wid).status == "fulfilled"
    # The owner confirms: the help was real, and it is credited.
    assert _post(client, f"/wishes/{wid}/confirm", login("resident"), {"rating": 5}).status_code == 200
    assert _points(volunteer.id) == 2


# --- finding 3: resident/provider, provider/rater, assigner/assignee ------------------------------

def test_secretary_serves_an_order_and_cannot_rate_it_on_behalf(client, world, login):
    volunteer = _secretary_volunteer(world)
    offering = make_offering(world, provider="secretary", slots=((2, 10, 5), (3, 10, 5)))
    order = make_order(world, offering.slots[0], status="accepted")
    db.session.commit()
    secretary = login("secretary")
    start_now(order.id)
    assert _post(client, f"/orders/{order.id}/complete", secretary).status_code == 200
    refused = _post(client, f"/orders/{order.id}/rate", secretary, {"rating": 5})
    assert refused.status_code == 403 and "本人" in refused.get_json()["message"]
    assert _points(volunteer.id) == 0
    # Nor may she book her own offering.
    booked = _post(client, "/orders", secretary, {"service_id": offering.id,
                                                  "slot_id": offering.slots[1].id})
    assert booked.status_code == 403


def test_secretary_cannot_assign_a_visit_to_herself_or_for_herself(client, world, login):
    volunteer = _secretary_volunteer(world)
    visit = make_visit(world)
    own = make_visit(world, resident="secretary")
    db.session.commit()
    secretary = login("secretary")
    assert _post(client, f"/orders/{visit.id}/assign", secretary,
                 {"volunteer_id": volunteer.id}).status_code == 403
    assert _post(client, f"/orders/{own.id}/assign", secretary,
                 {"volunteer_id": world.volunteers["volunteer2"].id}).status_code == 403
    db.session.rollback()
    assert db.session.get(ServiceOrder, visit.id).provider_id is None


def test_secretary_cannot_accept_a_proposal_naming_herself(client, world, login):
    volunteer = _secretary_volunteer(world)
    proposal = world.proposal
    proposal.volunteer_id = volunteer.id
    db.session.commit()
    resp = _post(client, f"/matching/proposals/{proposal.id}/accept", login("secretary"))
    assert resp.status_code == 403, resp.get_json()
    db.session.rollback()
    assert db.session.get(Wish, world.wishes["open"].id).status == "open"
    assert db.session.get(MatchProposal, proposal.id).status == "proposed"


# --- finding 4: leavers --------------------------------------------------------------------------

def _contact(client, headers, wid):
    return client.get(f"{API}/wishes/{wid}", headers=headers).get_json()["contact"]


def test_leaving_releases_claims_ends_contact_and_points(client, world, login):
    volunteer = world.volunteers["volunteer"]
    claimed, fulfilled = world.wishes["claimed"].id, world.wishes["fulfilled"].id
    visit = make_visit(world, status="accepted", provider="volunteer")
    offering = make_offering(world)
    booking = make_order(world, offering.slots[0], status="accepted")
    pending = MatchProposal(run_id=world.run.id, task_type="wish", task_id=world.wishes["open"].id,
                            community_id=world.communities[0].id, volunteer_id=volunteer.id,
                            distance_m=10, score=10, reasons=[])
    db.session.add(pending)
    db.session.commit()
    headers = login("volunteer")
    assert _contact(client, headers, claimed)["phone"] == PHONE
    assert _post(client, "/volunteers/me/leave", headers, {"reason": "工作调动"}).status_code == 200

    db.session.rollback()
    assert db.session.get(Wish, claimed).status == "open"
    assert db.session.get(Wish, claimed).claimed_by is None
    assert db.session.get(ServiceOrder, visit.id).provider_id is None
    assert db.session.get(ServiceOrder, visit.id).status == "requested"
    assert db.session.get(MatchProposal, pending.id).status == "rejected"
    assert db.session.get(type(offering), offering.id).status == "withdrawn"
    assert db.session.get(ServiceOrder, booking.id).status == "cancelled"
    for wid in (claimed, fulfilled):
        body = client.get(f"{API}/wishes/{wid}", headers=headers).get_json()
        assert body["contact"] is None and PHONE not in str(body) and ADDRESS not in str(body)
    assert client.get(f"{API}/orders/{visit.id}", headers=headers).status_code == 404
    assert _post(client, f"/wishes/{claimed}/fulfil", headers, {"note": "x"}).status_code == 403
    # The fulfilled wish is still the owner's to confirm; the leaver is credited nothing.
    assert _post(client, f"/wishes/{fulfilled}/confirm", login("resident"),
                 {"rating": 5}).status_code == 200
    assert _points(volunteer.id) == 0


def test_contact_and_points_follow_current_membership_not_the_claim_row(client, world, login):
    """Even a volunteer ended without the release (a status set directly) sees nothing."""
    volunteer = world.volunteers["volunteer"]
    visit = make_visit(world, status="accepted", provider="volunteer")
    served = make_order(world, make_offering(world).slots[0], status="done")
    volunteer.status = "left"
    db.session.commit()
    headers = login("volunteer")
    assert _contact(client, headers, world.wishes["claimed"].id) is None
    assert client.get(f"{API}/orders/{visit.id}", headers=headers).get_json()["contact"] is None
    assert _post(client, f"/wishes/{world.wishes['claimed'].id}/fulfil", headers,
                 {"note": "已送到"}).status_code == 403
    assert _post(client, f"/wishes/{world.wishes['fulfilled'].id}/confirm", login("resident"),
                 {"rating": 5}).status_code == 200
    assert _post(client, f"/orders/{served.id}/rate", login("resident"),
                 {"rating": 5}).status_code == 200
    assert _points(volunteer.id) == 0


# --- finding 5: instant completion ---------------------------------------------------------------

def test_order_cannot_be_completed_before_its_slot_begins(client, world, login):
    order = make_order(world, make_offering(world).slots[0], status="accepted")
    visit = make_visit(world, status="accepted", provider="volunteer")
    db.session.commit()
    headers = login("volunteer")
    for oid in (order.id, visit.id):
        early = _post(client, f"/orders/{oid}/complete", headers)
        assert early.status_code == 409 and "开始后" in early.get_json()["message"]
    start_now(order.id)
    assert _post(client, f"/orders/{order.id}/complete", headers).status_code == 200


def test_windowed_wish_cannot_be_fulfilled_before_its_window(client, world, login):
    start = utcnow() + timedelta(days=2)
    wish = make_wish(world, status="claimed", claimer="volunteer", window_start=start,
                     window_end=start + timedelta(hours=2))
    db.session.commit()
    early = _post(client, f"/wishes/{wish.id}/fulfil", login("volunteer"), {"note": "已送到"})
    assert early.status_code == 409


# --- finding 11: proposal accept/decline race ----------------------------------------------------

def _fresh_proposal(world, i):
    wish = make_wish(world, status="open", title=f"竞态{i}")
    proposal = MatchProposal(run_id=world.run.id, task_type="wish", task_id=wish.id,
                             community_id=wish.community_id,
                             volunteer_id=world.volunteers["volunteer2"].id,
                             distance_m=10, score=10, reasons=[])
    db.session.add(proposal)
    db.session.flush()
    return wish.id, proposal.id


def test_concurrent_accept_decline_reject_leave_proposal_and_task_agreeing(app, client, world,
                                                                           login):
    """One accept races with the proposed volunteer declining (three taps) and secretaries
    rejecting: whatever wins, the proposal's status and the task agree."""
    rounds = [_fresh_proposal(world, i) for i in range(6)]
    db.session.commit()
    volunteer2 = world.volunteers["volunteer2"].id
    for wid, pid in rounds:
        path = f"{API}/matching/proposals/{pid}"
        results = race(app, [
            ("POST", f"{path}/accept", login("secretary"), None),
            *[("POST", f"{path}/decline", login("volunteer2"), {}) for _ in range(3)],
            ("POST", f"{path}/reject", login("street_secretary"), {}),
            ("POST", f"{path}/reject", login("admin"), {})])
        assert all(code in (200, 409) for code, _ in results), results
        db.session.rollback()
        status = db.session.get(MatchProposal, pid).status
        wish = db.session.get(Wish, wid)
        active = db.session.execute(db.select(db.func.count()).select_from(WishClaim).filter_by(
            wish_id=wid, status="active")).scalar_one()
        if status == "accepted":
            assert wish.claimed_by == volunteer2 and active == 1, (pid, results)
        else:
            assert status in ("declined", "rejected"), status
            assert wish.status == "open" and wish.claimed_by is None and active == 0, (
                pid, status, [code for code, _ in results])


def _waiting_on_locks(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")).scalar_one()


def _start(app, method, path, headers, results, key):
    def run():
        resp = app.test_client().open(path, method=method, headers=headers, json={})
        results[key] = resp.status_code
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the request never reached the lock"
        time.sleep(0.02)


def test_accept_then_decline_queued_on_one_proposal_on_postgresql(app, client, world, login):
    """The interleaving the review hit, made certain: a third connection holds the proposal's
    row; an accept queues first, a decline second; then the row is let go. Without the lock at
    read both had read `proposed`: the accept claimed the wish and the decline, writing last,
    left the proposal `declined` over a claimed wish."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and lock queues: PostgreSQL (SQLite serialises writers)")
    wid, pid = _fresh_proposal(world, 0)
    db.session.commit()
    heads = {"secretary": login("secretary"), "volunteer2": login("volunteer2")}
    holder = db.engine.connect()
    holder.execute(text("SELECT id FROM match_proposals WHERE id = :id FOR UPDATE"), {"id": pid})
    results, path = {}, f"{API}/matching/proposals/{pid}"
    try:
        accept = _start(app, "POST", f"{path}/accept", heads["secretary"], results, "accept")
        _until(lambda: _waiting_on_locks(db.engine) >= 1)
        decline = _start(app, "POST", f"{path}/decline", heads["volunteer2"], results, "decline")
        _until(lambda: _waiting_on_locks(db.engine) >= 2)
    finally:
        holder.rollback()
        holder.close()
    accept.join(30)
    decline.join(30)
    assert results == {"accept": 200, "decline": 200}, results
    db.session.rollback()
    wish = db.session.get(Wish, wid)
    assert db.session.get(MatchProposal, pid).status == "declined"
    assert wish.status == "open" and wish.claimed_by is None  # the decline gave the wish back


# --- finding 17: the no-show clock ---------------------------------------------------------------

def test_no_show_clock_starts_at_the_wish_window(world):
    now = utcnow()
    start = now + timedelta(days=7)
    wish = make_wish(world, status="open", window_start=start, window_end=start + timedelta(hours=3))
    db.session.commit()
    claim_wish(load_actor(world.users["volunteer2"].id), wish.id, now=now)
    release_stale_claims(SYSTEM, now=now + timedelta(days=4))  # claimed 4 days ago, due in 3
    assert db.session.get(Wish, wish.id).status == "claimed"
    release_stale_claims(SYSTEM, now=start + timedelta(days=3, minutes=1))
    assert db.session.get(Wish, wish.id).status == "open"


def test_no_show_clock_starts_at_the_scheduled_start_of_a_matching_assignment(client, world,
                                                                               login):
    now = utcnow()
    proposal = world.proposal
    proposal.start, proposal.end = now + timedelta(days=6), now + timedelta(days=6, hours=1)
    db.session.commit()
    assert _post(client, f"/matching/proposals/{proposal.id}/accept",
                 login("secretary")).status_code == 200
    db.session.rollback()
    wid = world.wishes["open"].id
    release_stale_claims(SYSTEM, now=now + timedelta(days=4))
    assert db.session.get(Wish, wid).status == "claimed"
    release_stale_claims(SYSTEM, now=now + timedelta(days=9, minutes=5))
    assert db.session.get(Wish, wid).status == "open"


# --- the helpers' contract, for the capabilities still to come -----------------------------------

def test_parties_compares_people_not_roles(world):
    from server.errors import Conflict, Forbidden
    from server.policy import parties
    secretary = load_actor(world.users["secretary"].id)
    assert parties.same_person(secretary, world.users["secretary"].id)
    assert parties.same_person(secretary.user_id, 99999, secretary)
    assert not parties.same_person(SYSTEM, None)  # the system is nobody's party
    assert not parties.same_person(secretary, None, world.users["resident"].id)
    with pytest.raises(Forbidden, match="本人"):
        parties.require_different(secretary.user_id, secretary.user_id,
                                  sides="applicant/approver")
    with pytest.raises(Conflict):
        parties.require_not_volunteer(load_actor(world.users["volunteer"].id),
                                      world.volunteers["volunteer"].id, error=Conflict)
    parties.require_not_party(secretary, world.users["resident"].id)  # different people: fine
