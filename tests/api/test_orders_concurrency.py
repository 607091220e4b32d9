"""Races on SQLite and PostgreSQL: 30 residents book one slot of capacity 5 at once; two
secretaries assign one home visit at once; one resident double-books concurrently."""
from server.extensions import db
from server.orders.models import ServiceOrder, ServiceSlot
from tests.concurrency import race
from tests.factories import make_user
from tests.order_world import make_offering, make_visit

API = "/api/v1"
RACERS, CAPACITY = 30, 5


def _fresh(model, id_):
    db.session.rollback()  # a fresh snapshot: the racers committed in other connections
    return db.session.get(model, id_)


def test_thirty_concurrent_bookings_of_five_seats(app, client, world, login):
    community = world.communities[0]
    for i in range(RACERS):
        make_user(f"booker{i}", community, name=f"居民{i}")
    offering = make_offering(world, slots=((2, 10, CAPACITY),))
    slot_id = offering.slots[0].id
    db.session.commit()
    heads = [login(f"booker{i}") for i in range(RACERS)]
    body = {"service_id": offering.id, "slot_id": slot_id}
    results = race(app, [("POST", f"{API}/orders", h, body) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == CAPACITY and codes.count(409) == RACERS - CAPACITY, codes
    assert all(b["message"] == "该时段已约满" for code, b in results if code == 409)
    assert _fresh(ServiceSlot, slot_id).booked == CAPACITY
    orders = db.session.execute(db.select(ServiceOrder).filter_by(slot_id=slot_id)).scalars().all()
    assert len(orders) == CAPACITY
    assert {o.id for o in orders} == {b["id"] for code, b in results if code == 201}


def test_concurrent_cancels_free_each_seat_once(app, client, world, login):
    offering = make_offering(world, slots=((2, 10, 2),))
    db.session.commit()
    body = {"service_id": offering.id, "slot_id": offering.slots[0].id}
    resident = login("resident")
    oid = client.post(f"{API}/orders", headers=resident, json=body).get_json()["id"]
    results = race(app, [("POST", f"{API}/orders/{oid}/cancel", login(who), {"reason": "有事"})
                          for who in ("resident", "volunteer", "secretary", "resident")])
    codes = sorted(code for code, _ in results)
    assert codes == [200, 409, 409, 409], codes
    assert _fresh(ServiceSlot, offering.slots[0].id).booked == 0


def test_one_resident_racing_themself_books_once(app, client, world, login):
    offering = make_offering(world, slots=((2, 10, 10),))
    db.session.commit()
    body = {"service_id": offering.id, "slot_id": offering.slots[0].id}
    heads = [login("resident") for _ in range(6)]
    codes = sorted(code for code, _ in race(app, [("POST", f"{API}/orders", h, body)
                                                   for h in heads]))
    assert codes == [201] + [409] * 5, codes
    assert _fresh(ServiceSlot, offering.slots[0].id).booked == 1


def test_two_secretaries_assign_one_visit_exactly_once(app, client, world, login):
    visit = make_visit(world)
    db.session.commit()
    path = f"{API}/orders/{visit.id}/assign"
    requests = [("POST", path, login("secretary"),
                 {"volunteer_id": world.volunteers["volunteer"].id}),
                ("POST", path, login("street_secretary"),
                 {"volunteer_id": world.volunteers["volunteer2"].id})] * 3
    results = race(app, requests)
    codes = sorted(code for code, _ in results)
    assert codes == [200] + [409] * 5, codes
    winner = next(body for code, body in results if code == 200)
    assert _fresh(ServiceOrder, visit.id).provider_id == winner["provider_id"]


def test_bookings_racing_a_withdrawal_leave_no_open_order(app, client, world, login):
    community = world.communities[0]
    for i in range(10):
        make_user(f"late{i}", community, name=f"居民{i}")
    offering = make_offering(world, slots=((2, 10, 20),))
    slot_id = offering.slots[0].id
    db.session.commit()
    body = {"service_id": offering.id, "slot_id": slot_id}
    requests = [("POST", f"{API}/orders", login(f"late{i}"), body) for i in range(10)]
    requests.insert(5, ("POST", f"{API}/services/{offering.id}/withdraw", login("volunteer"),
                        {"reason": "临时取消"}))
    results = race(app, requests)
    assert results[5][0] == 200, results[5]
    assert {code for code, _ in results} <= {200, 201, 409}
    db.session.rollback()
    open_orders = db.session.execute(db.select(ServiceOrder).where(
        ServiceOrder.slot_id == slot_id, ServiceOrder.status.in_(("requested", "accepted")))
    ).scalars().all()
    assert open_orders == []
    assert db.session.get(ServiceSlot, slot_id).booked == 0


def test_an_assignment_racing_the_volunteers_leave_leaves_no_open_order_with_a_leaver(
        app, client, world, login):
    """A secretary assigns a home visit while the volunteer leaves (PostgreSQL): the assignment
    locks the volunteer's row and re-reads the status (policy.membership.lock_active_member), so
    it is refused, or the leave releases the order; a leaver never keeps a visit."""
    from tests.factories import make_volunteer
    community = world.communities[0]
    for i in range(4):
        key = f"leaver{i}"
        volunteer = make_volunteer(make_user(key, community), community)
        visit = make_visit(world)
        db.session.commit()
        results = race(app, [
            ("POST", f"{API}/orders/{visit.id}/assign", login("secretary"),
             {"volunteer_id": volunteer.id}),
            ("POST", f"{API}/volunteers/me/leave", login(key), {"reason": "工作调动"})])
        assert results[1][0] == 200, results
        order = _fresh(ServiceOrder, visit.id)
        assert order.provider_id != volunteer.id or order.status not in (
            "requested", "accepted"), (i, results, order.status)
