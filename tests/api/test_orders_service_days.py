"""Venues and service days (党员义务奉献日): a street publishes its day with main and branch
venues and stalls; residents order from the stalls; the day's figures count them."""
from datetime import timedelta

from server.extensions import db
from server.identity.services import load_actor
from server.orders.services import complete_order
from tests.order_world import local, make_offering, make_order, make_venue, soon_date

API = "/api/v1"


def _day_body(world, venues, offering_ids=()):
    return {"title": "米市巷街道党员义务奉献日", "date": soon_date(2), "street_id": world.streets[0].id,
            "description": "理发、量血压、法律咨询",
            "venues": [{"venue_id": venues[0].id, "kind": "main", "stalls": list(offering_ids)},
                       *({"venue_id": v.id, "kind": "branch"} for v in venues[1:])]}


def test_street_publishes_a_day_and_residents_order_from_its_stalls(client, world, login):
    a, b = world.communities[0], world.communities[1]
    main, branch = make_venue(world, a), make_venue(world, b, name="乙社区服务站")
    haircut = make_offering(world, slots=((2, 9, 10), (2, 10, 10)))
    pressure = make_offering(world, provider="volunteer2", title="量血压", category="health",
                             skills=("health_check",), slots=((2, 8, 30),))
    db.session.commit()
    street = login("street_secretary")
    made = client.post(f"{API}/service-days", headers=street,
                       json=_day_body(world, [main, branch], [haircut.id]))
    assert made.status_code == 201, made.get_json()
    day = made.get_json()
    assert [v["kind"] for v in day["venues"]] == ["main", "branch"]
    assert day["venues"][0]["stalls"][0]["offering"]["id"] == haircut.id
    stall = client.post(f"{API}/service-days/{day['id']}/stalls", headers=street,
                        json={"venue_id": branch.id, "offering_id": pressure.id})
    assert stall.status_code == 201
    twice = client.post(f"{API}/service-days/{day['id']}/stalls", headers=street,
                        json={"venue_id": branch.id, "offering_id": pressure.id})
    assert twice.status_code == 409
    booked = client.post(f"{API}/orders", headers=login("resident"), json={
        "service_id": haircut.id, "slot_id": haircut.slots[0].id})
    oid = booked.get_json()["id"]
    client.post(f"{API}/orders/{oid}/accept", headers=login("volunteer"))
    # Served on the day: completion is only possible once the slot has begun (finding 5).
    complete_order(load_actor(world.users["volunteer"].id), oid,
                   now=haircut.slots[0].start_at + timedelta(minutes=5))
    db.session.commit()
    client.post(f"{API}/orders", headers=login("resident2"), json={
        "service_id": pressure.id, "slot_id": pressure.slots[0].id})
    shown = client.get(f"{API}/service-days/{day['id']}").get_json()  # public
    assert shown["figures"] == {"main_venues": 1, "branch_venues": 1, "stalls": 2, "orders": 2,
                                "served": 1, "households": 2,
                                # check-ins (volunteer service system, part b): none yet
                                "check_ins": 0, "members_reported": 0, "checked_out": 0,
                                "volunteer_hours": 0, "households_visited": 0,
                                "wishes_fulfilled": 0}
    slots = shown["venues"][0]["stalls"][0]["offering"]["slots"]
    assert [s["remaining"] for s in slots] == [9, 10]
    listed = client.get(f"{API}/service-days?street_id={world.streets[0].id}").get_json()
    assert [d["id"] for d in listed] == [day["id"]]


def test_service_day_rules(client, world, login):
    a, c = world.communities[0], world.communities[2]
    main, far = make_venue(world, a), make_venue(world, c, name="丙社区服务站")
    later = make_offering(world, slots=((5, 9, 10),))
    db.session.commit()
    street = login("street_secretary")
    post = lambda body: client.post(f"{API}/service-days", headers=street, json=body)  # noqa: E731
    assert post({**_day_body(world, [main]), "date": soon_date(-1)}).status_code == 422
    no_main = _day_body(world, [main])
    no_main["venues"][0]["kind"] = "branch"
    assert post(no_main).status_code == 422
    assert post(_day_body(world, [main, main])).status_code == 422
    assert post(_day_body(world, [far])).status_code == 422  # venue outside the street
    assert post(_day_body(world, [main], [later.id])).status_code == 422  # no slot that day
    assert post(_day_body(world, [main], [424242])).status_code == 422
    assert post({**_day_body(world, [main]), "street_id": 424242}).status_code == 422
    only_a = client.post(f"{API}/service-days", headers=login("secretary"),
                         json=_day_body(world, [main]))
    assert only_a.status_code == 403


def test_venues_are_registered_by_secretaries_in_scope(client, world, login):
    a = world.communities[0]
    made = client.post(f"{API}/venues", headers=login("secretary"),
                       json={"name": "甲社区党群服务中心", "address": "甲路8号", "community_id": a.id})
    assert made.status_code == 201 and made.get_json()["lat"] == a.lat
    assert client.post(f"{API}/venues", headers=login("secretary"),
                       json={"name": "不存在", "community_id": 424242}).status_code == 422
    listed = client.get(f"{API}/venues?community_id={a.id}").get_json()
    assert [v["name"] for v in listed] == ["甲社区党群服务中心"]


def test_a_venue_offering_can_point_at_a_registered_venue(client, world, login):
    venue = make_venue(world)
    db.session.commit()
    resp = client.post(f"{API}/services", headers=login("volunteer"), json={
        "title": "书法春联", "category": "culture", "skills": ["haircut"], "mode": "venue",
        "venue_id": venue.id, "slots": [{"start": local(2, 9).isoformat(),
                                         "end": local(2, 11).isoformat(), "capacity": 20}]})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["venue"] == venue.name and resp.get_json()["venue_id"] == venue.id


def test_figures_ignore_cancelled_orders_and_other_days(client, world, login):
    venue = make_venue(world)
    offering = make_offering(world, slots=((2, 9, 10), (3, 9, 10)))
    make_order(world, offering.slots[0], status="cancelled")
    make_order(world, offering.slots[1])
    db.session.commit()
    made = client.post(f"{API}/service-days", headers=login("street_secretary"),
                       json=_day_body(world, [venue], [offering.id]))
    figures = client.get(f"{API}/service-days/{made.get_json()['id']}").get_json()["figures"]
    assert figures["orders"] == 0 and figures["stalls"] == 1
    assert client.get(f"{API}/service-days/424242").status_code == 404
