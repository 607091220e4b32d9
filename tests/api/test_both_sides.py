"""The "both sides" sweep (issue 10, must-show): for EVERY endpoint that changes state, either
the case where the actor is also the subject is tested (→ 403 or 409), or the table says why no
such case exists. A new state-changing endpoint missing from BOTH_SIDES fails
test_every_state_changing_endpoint_is_in_the_table, so no capability can skip the question.

The rule itself lives in server/policy/parties.py.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from server.extensions import db
from server.orders.models import ServiceOrder
from server.policy.parties import SIDES
from server.wishes.models import Wish
from tests.api import care_sides  # care fund and casework
from tests.donation_world import build_donations, make_card, soon_year
from tests.factories import make_volunteer, make_wish
from tests.order_world import make_offering, make_order, make_visit, start_now
from tests.service_system_world import make_log, make_pairing_run, make_post

API = "/api/v1"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Sides:
    scenario: Callable | None  # (client, world, login) -> the response to the both-sides attempt
    why: str                    # the two sides, or why there are none


def none(why: str) -> Sides:
    return Sides(None, why)


# --- scenarios: the actor is also the subject ----------------------------------------------------

def _secretary_volunteer(world):
    """Community A's secretary, also an active volunteer there (the review's attacker)."""
    if "secretary" not in world.volunteers:
        world.volunteers["secretary"] = make_volunteer(world.users["secretary"],
                                                       world.communities[0])
        db.session.commit()
    return world.volunteers["secretary"]


def _own_application(client, world, login, decision):
    headers = login("secretary")
    applied = client.post(f"{API}/volunteers/apply", headers=headers, json={
        "skills": ["haircut"], "capacity_per_day": 1, "lat": 30.29, "lng": 120.15,
        "availability": [{"weekday": 5, "start": "09:00", "end": "12:00"}]})
    return client.post(f"{API}/volunteers/{applied.get_json()['id']}/{decision}", headers=headers,
                       json={})


def approve_own_application(client, world, login):
    return _own_application(client, world, login, "approve")


def reject_own_application(client, world, login):
    return _own_application(client, world, login, "reject")


def grant_oneself(client, world, login):
    return client.post(f"{API}/admin/roles", headers=login("admin"), json={
        "openid": "admin", "role": "secretary", "community_id": world.communities[0].id})


def assess_own_household(client, world, login):
    return client.put(f"{API}/residents/{world.users['secretary'].id}/need-tier",
                      headers=login("secretary"), json={"need_tier": 1})


def review_own_wish(client, world, login):
    wish = make_wish(world, owner="secretary", status="pending_review")
    db.session.commit()
    return client.post(f"{API}/wishes/{wish.id}/review", headers=login("secretary"),
                       json={"decision": "approve"})


def claim_own_wish(client, world, login):
    wish = make_wish(world, owner="volunteer", status="open")
    db.session.commit()
    return client.post(f"{API}/wishes/{wish.id}/claim", headers=login("volunteer"))


def fulfil_own_wish(client, world, login):
    # Not reachable through a claim (refused above); a row made otherwise is still refused.
    wish = make_wish(world, owner="volunteer", status="claimed", claimer="volunteer")
    db.session.commit()
    return client.post(f"{API}/wishes/{wish.id}/fulfil", headers=login("volunteer"),
                       json={"note": "已送到"})


def confirm_own_fulfilment(client, world, login):
    _secretary_volunteer(world)
    wish = make_wish(world, status="fulfilled", claimer="secretary")
    db.session.commit()
    return client.post(f"{API}/wishes/{wish.id}/confirm", headers=login("secretary"),
                       json={"rating": 5})


def accept_proposal_naming_oneself(client, world, login):
    world.proposal.volunteer_id = _secretary_volunteer(world).id
    db.session.commit()
    return client.post(f"{API}/matching/proposals/{world.proposal.id}/accept",
                       headers=login("secretary"))


def book_own_offering(client, world, login):
    offering = make_offering(world)
    db.session.commit()
    return client.post(f"{API}/orders", headers=login("volunteer"),
                       json={"service_id": offering.id, "slot_id": offering.slots[0].id})


def _own_order(world, status):
    """An order whose resident is its own provider (a row the booking check would refuse)."""
    order = make_order(world, make_offering(world).slots[0], resident="volunteer", status=status)
    db.session.commit()
    return order


def accept_own_order(client, world, login):
    order = _own_order(world, "requested")
    return client.post(f"{API}/orders/{order.id}/accept", headers=login("volunteer"))


def complete_own_order(client, world, login):
    order = _own_order(world, "accepted")
    start_now(order.id)
    return client.post(f"{API}/orders/{order.id}/complete", headers=login("volunteer"), json={})


def no_show_own_order(client, world, login):
    order = _own_order(world, "accepted")
    start_now(order.id)
    return client.post(f"{API}/orders/{order.id}/no-show", headers=login("volunteer"), json={})


def rate_served_order_on_behalf(client, world, login):
    _secretary_volunteer(world)
    order = make_order(world, make_offering(world, provider="secretary").slots[0], status="done")
    db.session.commit()
    return client.post(f"{API}/orders/{order.id}/rate", headers=login("secretary"),
                       json={"rating": 5})


def assign_to_oneself(client, world, login):
    volunteer = _secretary_volunteer(world)
    visit = make_visit(world)
    db.session.commit()
    return client.post(f"{API}/orders/{visit.id}/assign", headers=login("secretary"),
                       json={"volunteer_id": volunteer.id})


# --- donations and the love supermarket (issue 14), data from tests/donation_world.py ----------

def inspect_own_donation(client, world, login):
    build_donations(world)
    headers = login("keeper")
    made = client.post(f"{API}/donations", headers=headers, json={
        "station_id": world.stations["a"].id, "category": "study", "item": "书包",
        "quantity": 1, "unit": "件"})
    return client.post(f"{API}/donations/{made.get_json()['id']}/inspect", headers=headers,
                       json={"decision": "accept"})


def acknowledge_own_gift(client, world, login):
    build_donations(world)
    return client.post(f"{API}/labels/{world.accepted.label_code}/ack",
                       headers=login("resident2"), json={})


def redeem_own_card(client, world, login):
    build_donations(world)
    card = make_card(world, household="keeper")
    db.session.commit()
    return client.post(f"{API}/stations/{world.stations['a'].id}/redemptions",
                       headers=login("keeper"),
                       json={"card_id": card.id, "lines": [{"item_id": world.item.id,
                                                            "quantity": 1}]})


def issue_own_card(client, world, login):
    build_donations(world)
    return client.post(f"{API}/aid-cards", headers=login("secretary"), json={
        "household_id": world.users["secretary"].id, "tier": 1, "year": soon_year()})


def link_oneself(client, world, login):
    build_donations(world)
    return client.post(f"{API}/contact-cards", headers=login("secretary"), json={
        "donor_id": world.users["secretary"].id, "household_id": world.users["resident"].id})
# --- volunteer service system, part b: projects and 争六星 -----------------------------------------

def claim_own_project(client, world, login):
    """The secretary, also a volunteer, claims the project she published."""
    from tests.service_system_b_world import make_project
    _secretary_volunteer(world)
    project = make_project(world, status="open")
    db.session.commit()
    return client.post(f"{API}/projects/{project.id}/claims", headers=login("secretary"), json={})


def confirm_own_project(client, world, login):
    """The secretary, also a volunteer, claimed and finished a project (published by someone
    else) and confirms it herself — her own points."""
    from tests.service_system_b_world import make_project
    _secretary_volunteer(world)
    project = make_project(world, status="done", claimer="secretary")
    db.session.commit()
    return client.post(f"{API}/projects/{project.id}/confirm", headers=login("secretary"))


def peer_score_own_review(client, world, login):
    from tests.service_system_b_world import GOOD, make_review
    review = make_review(world, who="volunteer")
    db.session.commit()
    return client.post(f"{API}/star-reviews/{review.id}/peer-scores", headers=login("volunteer"),
                       json={"scores": GOOD})


def branch_review_own_review(client, world, login):
    """The branch secretary, also a volunteer of the branch, reviews her own self-assessment."""
    from tests.service_system_b_world import GOOD, make_review
    _secretary_volunteer(world)
    review = make_review(world, who="secretary", status="peer_reviewed")
    db.session.commit()
    return client.post(f"{API}/star-reviews/{review.id}/branch-review",
                       headers=login("secretary"), json={"scores": GOOD})


def approve_own_branch_review(client, world, login):
    """The street secretary made the branch review and would approve it too."""
    from tests.service_system_b_world import GOOD, make_review
    review = make_review(world, who="volunteer", status="peer_reviewed")
    db.session.commit()
    headers = login("street_secretary")
    done = client.post(f"{API}/star-reviews/{review.id}/branch-review", headers=headers,
                       json={"scores": GOOD})
    assert done.status_code == 200, done.get_json()
    return client.post(f"{API}/star-reviews/{review.id}/approve", headers=headers, json={})


# --- the table -----------------------------------------------------------------------------------

# --- volunteer service system (issue 16a): posts, pairings ----------------------------------------

def appoint_oneself(client, world, login):
    post = make_post(world)
    volunteer = _secretary_volunteer(world)
    db.session.commit()
    return client.post(f"{API}/posts/{post.id}/holders", headers=login("secretary"),
                       json={"volunteer_id": volunteer.id})


def confirm_own_duty_log(client, world, login):
    _secretary_volunteer(world)
    post = make_post(world, holders=("secretary",))
    log = make_log(world, post, holder="secretary")
    db.session.commit()
    return client.post(f"{API}/posts/{post.id}/logs/{log.id}/decision",
                       headers=login("secretary"), json={"decision": "confirm"})


def pair_volunteer_with_own_household(client, world, login):
    return client.post(f"{API}/pairings", headers=login("secretary"), json={
        "volunteer_id": world.volunteers["volunteer"].id,
        "household_id": world.users["volunteer"].id, "kind": "one_to_one",
        "visit_every_days": 14})


def accept_pairing_proposal_naming_oneself(client, world, login):
    volunteer = _secretary_volunteer(world)
    _, proposal = make_pairing_run(world)
    proposal.volunteer_id = volunteer.id
    db.session.commit()
    return client.post(f"{API}/pairings/proposals/{proposal.id}/accept",
                       headers=login("secretary"))


BOTH_SIDES = {
    "POST /auth/wechat-login": none("one logs in as oneself: no second party"),
    "PATCH /me": none("one's own profile: the only party"),
    "POST /me/phone": none("one's own phone, verified by WeChat: the only party"),
    "POST /me/consents": none("one's own consent: the only party"),
    "POST /me/consents/{purpose}/withdraw": none("one's own consent: the only party"),
    "POST /me/cancel": none("one's own account; what one holds as a volunteer is released first "
                            "(policy.membership.end_volunteering)"),
    "POST /admin/roles": Sides(grant_oneself, "granter/grantee"),
    # The org tree and catalogues (server/org): places and catalogue entries, no person is the
    # subject of the change; scope containment (server/org/scoping.py) is what guards them.
    **{key: none("the org tree and catalogues: no person is the subject; scope rules apply")
       for key in ("POST /admin/streets", "POST /admin/communities", "POST /admin/grids",
                   "POST /admin/units", "POST /admin/skills",
                   "PATCH /admin/streets/{obj_id}", "PATCH /admin/communities/{obj_id}",
                   "PATCH /admin/grids/{obj_id}", "PATCH /admin/units/{obj_id}",
                   "PATCH /admin/skills/{code}", "DELETE /admin/communities/{community_id}")},
    "POST /admin/imports": none("rosters are entered by the organisation; an import never grants "
                                "a role or approves anyone, and a roster row never attaches to a "
                                "WeChat account (test_imports)"),
    "POST /admin/roles/{grant_id}/revoke": none("revoking only takes power away; scope rules "
                                                "(policy.scope) decide whose grants"),
    "PUT /residents/{user_id}/need-tier": Sides(assess_own_household, "household/assessor"),
    "POST /residents": none("代办 registers a new person without WeChat, never the staff member; "
                            "confirming for them refuses the volunteer who served "
                            "(test_daiban::test_grid_worker_who_served_cannot_confirm)"),
    "POST /volunteers/apply": none("the first step; its approval is the guarded one"),
    # the console (issue 13)
    "POST /console/sessions": none("anyone asks for a login QR code; nobody is its subject"),
    "POST /console/sessions/{scene}/confirm": none("one signs oneself in: the confirmer is the "
                                                   "only party; the scene is bound to the browser "
                                                   "that asked for it (test_console_auth)"),
    "POST /volunteers/me/leave": none("one's own membership: the only party"),
    "POST /volunteers/{volunteer_id}/approve": Sides(approve_own_application,
                                                     "applicant/approver"),
    "POST /volunteers/{volunteer_id}/reject": Sides(reject_own_application, "applicant/approver"),
    "POST /wishes": none("posting creates the subject; review, claim and confirm are guarded"),
    "POST /wishes/{wish_id}/review": Sides(review_own_wish, "owner/reviewer"),
    "POST /wishes/{wish_id}/claim": Sides(claim_own_wish, "owner/claimer"),
    "POST /wishes/{wish_id}/release": none("the claimer gives back their own claim; nobody gains"),
    "POST /wishes/{wish_id}/fulfil": Sides(fulfil_own_wish, "owner/claimer"),
    "POST /wishes/{wish_id}/confirm": Sides(confirm_own_fulfilment, "claimer/confirmer"),
    "POST /wishes/{wish_id}/cancel": none("the owner withdraws an unclaimed wish: the only party"),
    "PUT /points/rules/{code}": none("a rule for every volunteer alike, no single subject; "
                                     "admin-only and audited"),
    "POST /matching/runs": none("a run only proposes; accepting a proposal is guarded"),
    "POST /matching/proposals/{proposal_id}/accept": Sides(accept_proposal_naming_oneself,
                                                           "assigner/assignee"),
    "POST /matching/proposals/{proposal_id}/reject": none("rejecting gives nobody anything; the "
                                                          "task stays open"),
    "POST /matching/proposals/{proposal_id}/decline": none("the proposed volunteer declines for "
                                                           "themself: the only party"),
    "POST /services": none("publishing gives nothing; booking one's own offering is guarded"),
    "PATCH /services/{service_id}": none("editing one's offering; its bookings are guarded"),
    "POST /services/{service_id}/withdraw": none("withdrawing cancels; nobody gains"),
    "POST /orders": Sides(book_own_offering, "resident/provider"),
    "POST /orders/{order_id}/accept": Sides(accept_own_order, "resident/provider"),
    "POST /orders/{order_id}/complete": Sides(complete_own_order, "resident/provider"),
    "POST /orders/{order_id}/cancel": none("either side may cancel their own order; the seat "
                                           "goes back and nobody is credited"),
    "POST /orders/{order_id}/no-show": Sides(no_show_own_order, "resident/provider"),
    "POST /orders/{order_id}/rate": Sides(rate_served_order_on_behalf, "provider/rater"),
    "POST /orders/{order_id}/assign": Sides(assign_to_oneself, "assigner/assignee"),
    "POST /orders/{order_id}/release": none("giving an assignment back; nobody gains"),
    "POST /venues": none("an organisational record with no person on the subject side"),
    "POST /service-days": none("an organisational record with no person on the subject side"),
    "POST /service-days/{day_id}/stalls": none("an organisational record with no person on the "
                                               "subject side"),
    # volunteer service system (issue 16a)
    "POST /posts": none("an organisational record with no person on the subject side"),
    "POST /posts/{post_id}/holders": Sides(appoint_oneself, "assigner/assignee"),
    "POST /posts/{post_id}/holders/{holder_id}/end": none("stepping down or relieving frees a "
                                                          "seat; nobody gains"),
    "POST /posts/{post_id}/logs": none("the holder reports their own duty; points wait for the "
                                       "confirmation, which is guarded"),
    "POST /posts/{post_id}/logs/{log_id}/decision": Sides(confirm_own_duty_log,
                                                          "holder/confirmer"),
    "POST /pairings": Sides(pair_volunteer_with_own_household, "volunteer/household"),
    "POST /pairings/{pairing_id}/end": none("ending a pairing gives nobody anything"),
    "POST /pairings/{pairing_id}/visits": none("the volunteer logs their own visit; no points "
                                               "or rating follow from it"),
    "POST /pairings/proposals": none("a run only proposes; accepting a proposal is guarded"),
    "POST /pairings/proposals/{proposal_id}/accept": Sides(accept_pairing_proposal_naming_oneself,
                                                           "assigner/assignee"),
    "POST /pairings/proposals/{proposal_id}/reject": none("rejecting gives nobody anything; the "
                                                          "household stays unpaired"),
    # donations and the love supermarket (issue 14)
    "POST /donation-drives": none("a drive names a scope, not a person"),
    "POST /stations": none("an organisational record with no person on the subject side"),
    "POST /donations": none("registering a gift is the first step; its inspection is guarded"),
    "POST /donations/{donation_id}/inspect": Sides(inspect_own_donation, "donor/inspector"),
    "POST /labels/{code}/ack": Sides(acknowledge_own_gift, "donor/recipient"),
    "PATCH /stations/{station_id}/stock/{item_id}": none("a price for everyone alike; no single "
                                                         "subject"),
    "POST /stations/{station_id}/stock-adjustments": none("stock has no person on the other "
                                                          "side; each adjustment has a reason and "
                                                          "is audited"),
    "POST /stations/{station_id}/transfers": none("between two stations; audited"),
    "POST /stations/{station_id}/redemptions": Sides(redeem_own_card, "recipient/keeper"),
    "PUT /aid-cards/tiers/{tier}": none("a tier for every household alike; district admin only"),
    "POST /aid-cards": Sides(issue_own_card, "household/assessor"),
    "POST /contact-cards": Sides(link_oneself, "linker/party"),
    "POST /contact-cards/{card_id}/end": none("either side may end it: only takes away"),
    # care fund and casework (issue 15; scenarios in tests/api/care_sides.py)
    "POST /fund/contributions": none("money into the fund; a member records only their own"),
    "POST /fund/contributions/{contribution_id}/reverse": none(
        "a correction posting, audited; it pays nobody"),
    "POST /fund/adjustments": none("interest or charges of the fund itself; no person's side"),
    "POST /fund/batches": none("gathering only; approving and paying are guarded"),
    "POST /fund/batches/{batch_id}/approve": Sides(care_sides.approve_batch_one_made,
                                                   "maker/approver"),
    "POST /fund/batches/{batch_id}/pay": Sides(care_sides.pay_batch_one_approved,
                                               "approver/payer"),
    "POST /cases": none("applying creates the subject; every later step is guarded"),
    "POST /cases/{case_id}/verify": Sides(care_sides.verify_own_case, "applicant/verifier"),
    "POST /cases/{case_id}/publish": Sides(care_sides.publish_own_case, "applicant/publisher"),
    "POST /cases/{case_id}/objections": Sides(care_sides.object_to_own_case,
                                              "applicant/objector"),
    "POST /cases/{case_id}/objections/{objection_id}/resolve": Sides(
        care_sides.resolve_own_objection, "objector/resolver"),
    "POST /cases/{case_id}/approve": Sides(care_sides.approve_own_case, "applicant/approver"),
    "POST /cases/{case_id}/reject": Sides(care_sides.reject_own_case, "applicant/approver"),
    "POST /cases/{case_id}/exit": none("the applicant may end their own aid (members ask to "
                                       "exit themselves); exiting gives nobody anything"),
    "POST /cases/{case_id}/revisits": none("only the contact person logs one, and approval "
                                           "refuses the applicant as contact (applicant/contact)"),
    # volunteer service system, part b
    "POST /projects": none("publishing creates the subject; claiming one's own is guarded"),
    "POST /projects/{project_id}/claims": Sides(claim_own_project, "publisher/claimer"),
    "POST /projects/{project_id}/updates": none("the claimer reports their own work; the "
                                                "publisher (another person) cannot be the "
                                                "claimer"),
    "POST /projects/{project_id}/cancel": none("withdrawing gives nobody anything"),
    "POST /projects/{project_id}/confirm": Sides(confirm_own_project,
                                                 "project claimer/confirmer"),
    "POST /service-days/{day_id}/check-ins": none("one's own attendance, checked against the "
                                                  "venue's radius and the day's hours"),
    "POST /check-ins/{checkin_id}/check-out": none("one's own attendance: the only party"),
    "POST /star-reviews": none("the self-assessment is the first step; every later one is "
                               "guarded"),
    "POST /star-reviews/{review_id}/peer-scores": Sides(peer_score_own_review,
                                                        "self/peer reviewer"),
    "POST /star-reviews/{review_id}/branch-review": Sides(branch_review_own_review,
                                                          "reviewee/reviewer"),
    "POST /star-reviews/{review_id}/approve": Sides(approve_own_branch_review, "branch/approver"),
}

TESTED = sorted(key for key, sides in BOTH_SIDES.items() if sides.scenario is not None)


def _state_changing(app):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API + "/") or rule.endpoint.startswith("api-docs"):
            continue
        for method in sorted(rule.methods & STATE_CHANGING):
            yield f"{method} " + re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}",
                                        rule.rule[len(API):])


def test_every_state_changing_endpoint_is_in_the_table(app):
    served = set(_state_changing(app))
    missing = sorted(served - set(BOTH_SIDES))
    assert not missing, ("name the 'both sides' case of these endpoints in "
                         f"tests/api/test_both_sides.py (a scenario, or why none): {missing}")
    stale = sorted(k for k in set(BOTH_SIDES) - served if BOTH_SIDES[k].scenario is not None)
    assert not stale, f"scenarios for endpoints that are not served: {stale}"
    assert all(sides.why for sides in BOTH_SIDES.values())


@pytest.mark.parametrize("key", TESTED)
def test_the_actor_cannot_be_both_sides(client, world, login, key):
    method = key.split(" ", 1)[0]
    resp = BOTH_SIDES[key].scenario(client, world, login)
    assert resp.request.method == method
    assert resp.status_code in (403, 409), (key, resp.status_code, resp.get_json())
    body = resp.get_json()
    assert body["code"] == resp.status_code
    assert body["message"] in set(SIDES.values()), body  # refused by policy.parties, not by chance


def test_refusals_change_nothing(client, world, login):
    """A sample: the refused confirm leaves the wish fulfilled; the refused assignment leaves the
    visit unassigned."""
    confirm_own_fulfilment(client, world, login)
    assign_to_oneself(client, world, login)
    db.session.rollback()
    fulfilled = db.session.execute(db.select(Wish).filter_by(
        claimed_by=world.volunteers["secretary"].id)).scalar_one()
    assert fulfilled.status == "fulfilled"
    assert db.session.execute(db.select(db.func.count()).select_from(ServiceOrder).where(
        ServiceOrder.provider_id == world.volunteers["secretary"].id)).scalar_one() == 0
