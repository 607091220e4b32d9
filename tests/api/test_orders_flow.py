"""Service orders end to end through the HTTP API: publish, menu, book, accept, complete, rate,
points; home visits for secretaries; withdraw; Idempotency-Key."""
from server.extensions import db
from server.notifications.models import OutboxMessage
from server.orders.models import ServiceOrder, ServiceSlot
from tests.order_world import make_offering, make_order, soon, soon_date, start_now

API = "/api/v1"
OFFERING = {"title": "家电维修上门", "category": "repair", "skills": ["appliance_repair"],
            "mode": "home", "description": "冰箱、洗衣机、电视常见故障",
            "slots": [{"start": soon(2, 9), "end": soon(2, 11), "capacity": 1},
                      {"start": soon(3, 14), "end": soon(3, 16), "capacity": 2}]}


def _kinds():
    return [m.kind for m in db.session.execute(db.select(OutboxMessage)).scalars()]


def test_book_accept_complete_rate_changes_the_providers_points(client, world, login):
    volunteer, resident = login("volunteer"), login("resident")
    published = client.post(f"{API}/services", headers=volunteer, json=OFFERING)
    assert published.status_code == 201, published.get_json()
    service = published.get_json()
    assert service["provider_id"] == world.volunteers["volunteer"].id
    assert [s["remaining"] for s in service["slots"]] == [1, 2]
    slot_id = service["slots"][0]["id"]
    before = client.get(f"{API}/points/me", headers=volunteer).get_json()["balance"]

    booked = client.post(f"{API}/orders", headers=resident,
                         json={"service_id": service["id"], "slot_id": slot_id, "note": "冰箱"})
    assert booked.status_code == 201 and booked.get_json()["status"] == "requested"
    oid = booked.get_json()["id"]
    menu = client.get(f"{API}/services/{service['id']}").get_json()
    assert menu["slots"][0]["remaining"] == 0
    for action, body, status in (("accept", None, "accepted"),
                                 ("complete", {"note": "已修好"}, "done")):
        if action == "complete":
            start_now(oid)  # completion only once the slot has begun
        resp = client.post(f"{API}/orders/{oid}/{action}", headers=volunteer, json=body or {})
        assert resp.status_code == 200 and resp.get_json()["status"] == status
    assert client.get(f"{API}/points/me", headers=volunteer).get_json()["balance"] == before
    rated = client.post(f"{API}/orders/{oid}/rate", headers=resident,
                        json={"rating": 5, "comment": "师傅很细心"})
    assert rated.status_code == 200 and rated.get_json()["status"] == "rated"
    points = client.get(f"{API}/points/me", headers=volunteer).get_json()
    assert points["balance"] == before + 5 + 2
    assert {(e["reason"], e["ref_type"], e["ref_id"]) for e in points["entries"]} == {
        ("order_completed", "order", oid), ("order_rating_bonus", "order", oid)}
    for kind in ("order_requested", "order_accepted", "order_done", "order_rated"):
        assert kind in _kinds()


def test_a_full_slot_is_409_and_a_cancel_gives_the_seat_back(client, world, login):
    offering = make_offering(world, slots=((2, 10, 1),))
    db.session.commit()
    body = {"service_id": offering.id, "slot_id": offering.slots[0].id}
    first = client.post(f"{API}/orders", headers=login("resident"), json=body)
    assert first.status_code == 201
    full = client.post(f"{API}/orders", headers=login("resident2"), json=body)
    assert full.status_code == 409 and full.get_json()["message"] == "该时段已约满"
    cancelled = client.post(f"{API}/orders/{first.get_json()['id']}/cancel",
                            headers=login("resident"), json={"reason": "临时有事"})
    assert cancelled.get_json()["status"] == "cancelled"
    assert client.post(f"{API}/orders", headers=login("resident2"), json=body).status_code == 201


def test_one_resident_books_a_slot_once(client, world, login):
    offering = make_offering(world, slots=((2, 10, 5),))
    db.session.commit()
    body = {"service_id": offering.id, "slot_id": offering.slots[0].id}
    headers = login("resident")
    assert client.post(f"{API}/orders", headers=headers, json=body).status_code == 201
    assert client.post(f"{API}/orders", headers=headers, json=body).status_code == 409


def test_the_provider_cannot_book_their_own_service(client, world, login):
    offering = make_offering(world)
    db.session.commit()
    resp = client.post(f"{API}/orders", headers=login("volunteer"),
                       json={"service_id": offering.id, "slot_id": offering.slots[0].id})
    assert resp.status_code == 403


def test_home_visit_waits_for_a_secretary_who_assigns_it(client, world, login):
    resident, secretary = login("resident"), login("secretary")
    asked = client.post(f"{API}/orders", headers=resident, json={
        "category": "repair", "skills": ["appliance_repair"], "window_start": soon(3, 9),
        "window_end": soon(3, 12), "duration_min": 90, "note": "洗衣机漏水"})
    assert asked.status_code == 201, asked.get_json()
    order = asked.get_json()
    assert order["status"] == "requested" and order["kind"] == "visit"
    assert order["provider_id"] is None
    waiting = client.get(f"{API}/orders?unassigned=true", headers=secretary).get_json()
    assert [o["id"] for o in waiting] == [order["id"]]
    assert "****" in waiting[0]["resident_phone"] and waiting[0]["contact"] is None
    other = client.get(f"{API}/orders?unassigned=true", headers=login("secretary_b")).get_json()
    assert other == []
    vid = world.volunteers["volunteer2"].id
    assigned = client.post(f"{API}/orders/{order['id']}/assign", headers=secretary,
                           json={"volunteer_id": vid})
    assert assigned.status_code == 200
    assert assigned.get_json()["status"] == "accepted" and assigned.get_json()["provider_id"] == vid
    again = client.post(f"{API}/orders/{order['id']}/assign", headers=secretary,
                        json={"volunteer_id": world.volunteers["volunteer"].id})
    assert again.status_code == 409
    served = client.get(f"{API}/orders/mine?role=provider", headers=login("volunteer2")).get_json()
    assert [o["id"] for o in served] == [order["id"]]
    assert "order_assigned" in _kinds()


def test_released_visit_goes_back_to_the_queue(client, world, login):
    resident, secretary = login("resident"), login("secretary")
    oid = client.post(f"{API}/orders", headers=resident, json={
        "category": "care", "window_start": soon(3, 9), "window_end": soon(3, 12)}).get_json()["id"]
    client.post(f"{API}/orders/{oid}/assign", headers=secretary,
                json={"volunteer_id": world.volunteers["volunteer"].id})
    released = client.post(f"{API}/orders/{oid}/release", headers=login("volunteer"),
                           json={"reason": "当天要加班"})
    assert released.status_code == 200
    assert released.get_json()["status"] == "requested"
    assert released.get_json()["provider_id"] is None
    waiting = client.get(f"{API}/orders?unassigned=true", headers=secretary).get_json()
    assert [o["id"] for o in waiting] == [oid]


def test_withdrawing_cancels_open_orders_and_tells_residents(client, world, login):
    offering = make_offering(world, slots=((2, 10, 5), (3, 10, 5)))
    first, second = offering.slots
    open_order = make_order(world, first)
    accepted = make_order(world, second, resident="resident2", status="accepted")
    done = make_order(world, first, resident="resident_b", status="done")
    db.session.commit()
    resp = client.post(f"{API}/services/{offering.id}/withdraw", headers=login("volunteer"),
                       json={"reason": "志愿者临时出差"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "withdrawn"
    db.session.rollback()
    statuses = {o.id: (o.status, o.close_reason) for o in
                db.session.execute(db.select(ServiceOrder)).scalars()}
    assert statuses[open_order.id] == statuses[accepted.id] == ("cancelled", "志愿者临时出差")
    assert statuses[done.id][0] == "done"
    assert [db.session.get(ServiceSlot, s.id).booked for s in (first, second)] == [1, 0]
    notified = db.session.execute(db.select(OutboxMessage.user_id).filter_by(
        kind="order_cancelled")).scalars().all()
    assert sorted(notified) == sorted([world.users["resident"].id, world.users["resident2"].id])
    again = client.post(f"{API}/services/{offering.id}/withdraw", headers=login("volunteer"),
                        json={})
    assert again.status_code == 409
    menu = client.get(f"{API}/services").get_json()
    assert offering.id not in [s["id"] for s in menu]


def test_menu_filters_by_category_community_date_and_distance(client, world, login):
    a, b = world.communities[0], world.communities[1]
    haircut = make_offering(world, slots=((2, 9, 10),))
    legal = make_offering(world, provider="volunteer_b", title="法律咨询", category="legal",
                          skills=("legal_advice",), slots=((5, 14, 3),))
    db.session.commit()
    ids = lambda q: [s["id"] for s in client.get(f"{API}/services?{q}").get_json()]  # noqa: E731
    assert set(ids("")) == {haircut.id, legal.id}
    assert ids("category=legal") == [legal.id]
    assert ids(f"community_id={a.id}") == [haircut.id]
    assert ids(f"date={soon_date(5)}") == [legal.id]
    assert ids(f"date={soon_date(1)}") == []
    assert ids(f"lat={b.lat}&lng={b.lng}&radius_m=300") == [legal.id]
    near_a = client.get(f"{API}/services?lat={a.lat}&lng={a.lng}&radius_m=5000").get_json()
    assert [s["id"] for s in near_a] == [haircut.id, legal.id]
    assert near_a[0]["distance_m"] == 0 and near_a[1]["distance_m"] > 500
    listed = client.get(f"{API}/services?category=daily").get_json()[0]
    assert listed["slots"][0]["remaining"] == 10 and listed["provider_name"] == "李**"
    assert client.get(f"{API}/services/categories").status_code == 200


def test_editing_slots_keeps_booked_seats_safe(client, world, login):
    offering = make_offering(world, slots=((2, 10, 3),))
    slot = offering.slots[0]
    make_order(world, slot)
    make_order(world, slot, resident="resident2")
    db.session.commit()
    headers, path = login("volunteer"), f"{API}/services/{offering.id}"
    item = {"id": slot.id, "start": soon(2, 10), "end": soon(2, 11)}
    assert client.patch(path, headers=headers, json={"slots": [{**item, "capacity": 1}]}
                        ).status_code == 409
    moved = {**item, "start": soon(2, 15), "end": soon(2, 16), "capacity": 3}
    assert client.patch(path, headers=headers, json={"slots": [moved]}).status_code == 409
    grown = client.patch(path, headers=headers, json={
        "title": "理发（加场）", "slots": [{**item, "capacity": 6},
                                        {"start": soon(3, 10), "end": soon(3, 11), "capacity": 4}]})
    assert grown.status_code == 200, grown.get_json()
    body = grown.get_json()
    assert body["title"] == "理发（加场）"
    assert [(s["capacity"], s["remaining"]) for s in body["slots"]] == [(6, 4), (4, 4)]


def test_idempotency_key_on_orders_creates_one_order(client, world, login):
    offering = make_offering(world, slots=((2, 10, 5),))
    db.session.commit()
    headers = {**login("resident"), "Idempotency-Key": "book-haircut-1"}
    body = {"service_id": offering.id, "slot_id": offering.slots[0].id}
    answers = [client.post(f"{API}/orders", headers=headers, json=body) for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.get_json()["id"] for a in answers}) == 1
    assert answers[2].headers.get("Idempotent-Replayed") == "true"
    db.session.rollback()
    assert db.session.get(ServiceSlot, offering.slots[0].id).booked == 1
    other = client.post(f"{API}/orders", headers=headers, json={**body, "note": "别的"})
    assert other.status_code == 422


def test_secretary_publishes_a_units_service_and_staffs_it(client, world, login):
    secretary = login("secretary")
    unit = world.units[1]
    resp = client.post(f"{API}/services", headers=secretary, json={
        "title": "免费量血压", "category": "health", "skills": ["health_check"], "mode": "venue",
        "venue": "甲社区卫生服务站", "unit_id": unit.id,
        "slots": [{"start": soon(2, 8), "end": soon(2, 11), "capacity": 30}]})
    assert resp.status_code == 201, resp.get_json()
    service = resp.get_json()
    assert service["unit"] == unit.name and service["provider_id"] is None
    booked = client.post(f"{API}/orders", headers=login("resident"), json={
        "service_id": service["id"], "slot_id": service["slots"][0]["id"]}).get_json()
    waiting = client.get(f"{API}/orders?unassigned=true", headers=secretary).get_json()
    assert booked["id"] in [o["id"] for o in waiting]
    assigned = client.post(f"{API}/orders/{booked['id']}/assign", headers=secretary,
                           json={"volunteer_id": world.volunteers["volunteer2"].id})
    assert assigned.get_json()["status"] == "accepted"
    other = client.post(f"{API}/services", headers=login("secretary_b"), json={
        "title": "免费量血压", "category": "health", "mode": "venue", "venue": "甲社区",
        "community_id": world.communities[0].id,
        "slots": [{"start": soon(2, 8), "end": soon(2, 11), "capacity": 30}]})
    assert other.status_code == 403
