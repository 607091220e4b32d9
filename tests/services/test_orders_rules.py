"""Rules of publishing and ordering that need the database, and the open home visits that the
matching engine reads."""
from datetime import timedelta

import pytest

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.identity.services import load_actor
from server.orders import offerings, queries, services
from server.timeutil import utcnow
from tests.order_world import local, make_offering, make_order, make_visit

SLOT = {"start": local(2, 9), "end": local(2, 10), "capacity": 3}
OFFER = {"title": "理发", "category": "daily", "skills": ["haircut"], "mode": "venue",
         "venue": "甲社区服务站", "description": "", "slots": [SLOT]}


def actor(world, who):
    return load_actor(world.users[who].id)


@pytest.mark.parametrize("who", ["resident", "applicant"])
def test_only_active_volunteers_and_secretaries_publish(world, who):
    with pytest.raises(Forbidden):
        offerings.publish_offering(actor(world, who), OFFER)


def test_a_volunteer_cannot_publish_for_a_unit_or_another_volunteer(world):
    with pytest.raises(Forbidden):
        offerings.publish_offering(actor(world, "volunteer"), {**OFFER, "unit_id": 1})


@pytest.mark.parametrize("change,field", [
    ({"skills": ["flying"]}, "skills"),
    ({"slots": [{**SLOT, "start": local(-1, 9), "end": local(-1, 10)}]}, "slots"),
    ({"slots": [{**SLOT, "end": local(2, 23)}]}, "slots"),
    ({"slots": [{**SLOT, "start": local(200, 9), "end": local(200, 10)}]}, "slots"),
    ({"slots": [SLOT, SLOT]}, "slots"),
    ({"venue_id": 424242}, "venue_id"),
    ({"venue": None}, "venue"),
])
def test_publish_refuses_bad_values(world, change, field):
    data = {**OFFER, **change}
    if data.get("venue") is None:
        data.pop("venue")
    with pytest.raises(Invalid) as err:
        offerings.publish_offering(actor(world, "volunteer"), data)
    assert field in err.value.errors


def test_secretary_names_a_provider_who_must_be_active_and_of_the_unit(world):
    secretary = actor(world, "secretary")
    with pytest.raises(Invalid):
        offerings.publish_offering(secretary,
                                   {**OFFER, "provider_id": world.volunteers["applicant"].id})
    with pytest.raises(Invalid):
        offerings.publish_offering(secretary, {**OFFER, "unit_id": world.units[0].id,
                                               "provider_id": world.volunteers["volunteer"].id})
    made = offerings.publish_offering(secretary,
                                      {**OFFER, "provider_id": world.volunteers["volunteer"].id})
    assert made.provider_id == world.volunteers["volunteer"].id
    assert made.community_id == world.communities[0].id


def test_home_offerings_are_placed_at_the_volunteers_home(world):
    made = offerings.publish_offering(actor(world, "volunteer"), {**OFFER, "mode": "home",
                                                                  "venue": None})
    volunteer = world.volunteers["volunteer"]
    assert (made.lat, made.lng) == (volunteer.lat, volunteer.lng)


@pytest.mark.parametrize("who", ["resident", "volunteer2", "secretary_b"])
def test_strangers_cannot_edit_or_withdraw(world, who):
    offering = make_offering(world)
    with pytest.raises(Forbidden):
        offerings.edit_offering(actor(world, who), offering.id, {"title": "改"})
    with pytest.raises(Forbidden):
        offerings.withdraw_offering(actor(world, who), offering.id)


def test_editing_a_withdrawn_offering_is_conflict(world):
    offering = make_offering(world)
    offerings.withdraw_offering(actor(world, "volunteer"), offering.id)
    with pytest.raises(Conflict):
        offerings.edit_offering(actor(world, "volunteer"), offering.id, {"title": "改"})


def test_editing_a_slot_of_another_offering_is_invalid(world):
    mine, other = make_offering(world), make_offering(world, provider="volunteer2")
    item = {"id": other.slots[0].id, "start": local(2, 10), "end": local(2, 11), "capacity": 2}
    with pytest.raises(Invalid):
        offerings.edit_offering(actor(world, "volunteer"), mine.id, {"slots": [item]})


def test_booking_checks_the_slot(world):
    offering, other = make_offering(world), make_offering(world, provider="volunteer2")
    resident = actor(world, "resident")
    with pytest.raises(NotFound):
        services.place_order(resident, {"service_id": other.id, "slot_id": offering.slots[0].id})
    with pytest.raises(Conflict, match="已开始"):
        services.place_order(resident, {"service_id": offering.id, "slot_id": offering.slots[0].id},
                             now=offering.slots[0].start_at)
    offerings.withdraw_offering(actor(world, "volunteer"), offering.id)
    with pytest.raises(Conflict, match="撤回"):
        services.place_order(resident, {"service_id": offering.id, "slot_id": offering.slots[0].id})


def test_a_home_booking_needs_the_residents_address(world):
    offering = make_offering(world, mode="home")
    world.users["resident"].address = None
    with pytest.raises(Invalid) as err:
        services.place_order(actor(world, "resident"),
                             {"service_id": offering.id, "slot_id": offering.slots[0].id})
    assert "address" in err.value.errors


VISIT = {"category": "repair", "skills": ["appliance_repair"], "window_start": local(3, 9),
         "window_end": local(3, 12)}


@pytest.mark.parametrize("change", [
    {"window_start": local(-2, 9), "window_end": local(-2, 12)},
    {"window_start": local(300, 9), "window_end": local(300, 12)},
    {"duration_min": 240},
    {"skills": ["flying"]},
])
def test_visit_requests_refuse_bad_windows_and_skills(world, change):
    with pytest.raises(Invalid):
        services.place_order(actor(world, "resident"), {**VISIT, **change})


def test_a_visit_needs_a_community(world):
    world.users["resident"].community_id = None
    with pytest.raises(Invalid):
        services.place_order(actor(world, "resident"), VISIT)


def test_unassigned_home_visits_for_the_matching_engine(world):
    a, b = world.communities[0], world.communities[1]
    world.users["resident2"].need_tier = 1
    waiting = make_visit(world, resident="resident2")
    make_visit(world, status="accepted", provider="volunteer")     # already assigned
    elsewhere = make_visit(world, resident="resident_b")            # another community
    make_visit(world, status="cancelled")                           # closed
    expired = make_visit(world, days=3)
    expired.window_start = utcnow() - timedelta(hours=3)
    expired.window_end = utcnow() - timedelta(hours=1)
    make_order(world, make_offering(world, provider=None).slots[0])  # a venue booking
    db.session.flush()
    visits = queries.unassigned_home_visits([a.id])
    assert [v.order_id for v in visits] == [waiting.id]
    visit = visits[0]
    home = world.users["resident2"]
    assert (visit.lat, visit.lng) == (home.lat, home.lng) and visit.community_id == a.id
    assert visit.skills == ("appliance_repair",) and visit.duration_min == 60
    assert visit.window_start == waiting.window_start and visit.window_end == waiting.window_end
    assert visit.priority == 4  # need tier 1
    assert [v.order_id for v in queries.unassigned_home_visits([a.id, b.id])] == [
        waiting.id, elsewhere.id]


def test_visit_priority_grows_with_tier_wait_and_deadline():
    now = utcnow()
    assert queries.visit_priority(None, now, now + timedelta(days=5), now) == 1
    assert queries.visit_priority(2, now - timedelta(days=4), now + timedelta(days=1), now) == 5
    assert queries.visit_priority(1, now - timedelta(days=9), now + timedelta(hours=1), now) == 5


def test_community_orders_are_for_secretaries_in_scope(world):
    with pytest.raises(Forbidden):
        queries.community_orders_query(actor(world, "volunteer"), {})
    with pytest.raises(NotFound):
        queries.community_orders_query(actor(world, "secretary"),
                                       {"community_id": world.communities[1].id})
