"""Bad input on every order, service, venue and service-day endpoint: a documented 4xx in the
error shape (422 for field errors, 404 for unknown ids in paths), never a 5xx, nothing stored."""
import pytest

from server.extensions import db
from server.orders.models import ServiceOffering, ServiceOrder
from tests.order_world import add_orders, soon, soon_date

API = "/api/v1"
SLOT = {"start": soon(2, 9), "end": soon(2, 10), "capacity": 5}
OFFER = {"title": "理发", "category": "daily", "mode": "venue", "venue": "服务站", "slots": [SLOT]}
VISIT = {"category": "repair", "window_start": soon(3, 9), "window_end": soon(3, 12)}
FAR = "9999-12-31T23:59:59-08:00"
ANCIENT = "0001-01-01T00:00:00+08:00"

BAD = {
    "POST /services": [
        {}, {**OFFER, "category": "magic"}, {**OFFER, "mode": "teleport"}, {**OFFER, "slots": []},
        {**OFFER, "slots": [{**SLOT, "capacity": 0}]},
        {**OFFER, "slots": [{**SLOT, "capacity": 501}]},
        {**OFFER, "slots": [{**SLOT, "end": SLOT["start"]}]},
        {**OFFER, "slots": [{**SLOT, "start": "2026-12-01T09:00:00"}]},  # no offset
        {**OFFER, "slots": [{**SLOT, "start": FAR, "end": FAR}]},
        {**OFFER, "slots": [{**SLOT, "start": ANCIENT}]},
        {**OFFER, "slots": [{**SLOT, "id": 1}]}, {**OFFER, "slots": "tomorrow"},
        {**OFFER, "title": "x"}, {**OFFER, "title": "长" * 41}, {**OFFER, "skills": ["flying"]},
        {**OFFER, "skills": ["a"] * 11}, {**OFFER, "lat": 30.1}, {**OFFER, "lat": 91, "lng": 0},
        {**OFFER, "venue_id": 2**31}, {**OFFER, "venue_id": 424242}, {**OFFER, "unit_id": "x"},
        {**OFFER, "community_id": 424242}, {**OFFER, "provider_id": 424242},
        {k: v for k, v in OFFER.items() if k != "venue"},
    ],
    "PATCH /services/{service_id}": [
        {"title": ""}, {"category": None}, {"slots": [{"id": 424242, **SLOT}]},
        {"slots": [{**SLOT, "start": ANCIENT}]}, {"slots": [{"capacity": 3}]}, {"mode": "home"},
        {"venue_id": 0}, {"lng": 120.1}, {"skills": "haircut"},
    ],
    "POST /services/{service_id}/withdraw": [{"reason": ""}, {"reason": "长" * 201}, {"x": 1}],
    "POST /orders": [
        {}, {"service_id": 1}, {"slot_id": 1}, {"service_id": "a", "slot_id": 1},
        {"service_id": 0, "slot_id": 1}, {"service_id": 2**31, "slot_id": 1},
        {"service_id": 1, "slot_id": 1, "category": "repair"}, {**VISIT, "category": "magic"},
        {k: v for k, v in VISIT.items() if k != "window_end"},
        {**VISIT, "window_end": VISIT["window_start"]}, {**VISIT, "window_start": ANCIENT},
        {**VISIT, "window_end": FAR}, {**VISIT, "duration_min": 5}, {**VISIT, "duration_min": 999},
        {**VISIT, "skills": ["flying"]}, {**VISIT, "note": "长" * 201},
        {**VISIT, "window_start": "soon"}, {"note": "只有备注"},
    ],
    "POST /orders/{order_id}/cancel": [{}, {"reason": ""}, {"reason": None}, {"reason": 5}],
    "POST /orders/{order_id}/complete": [{"note": "长" * 201}, {"note": 1}, {"extra": 1}],
    "POST /orders/{order_id}/no-show": [{"note": []}, {"extra": 1}],
    "POST /orders/{order_id}/rate": [{}, {"rating": 0}, {"rating": 6}, {"rating": "five"},
                                     {"rating": 4.5}, {"rating": 5, "comment": "长" * 201}],
    "POST /orders/{order_id}/assign": [{}, {"volunteer_id": 0}, {"volunteer_id": "x"},
                                       {"volunteer_id": 2**31}],
    "POST /orders/{order_id}/release": [{"reason": "长" * 201}, {"reason": 1}],
    "POST /venues": [{}, {"name": "甲", "community_id": 1}, {"name": "服务站", "community_id": 0},
                     {"name": "服务站", "community_id": 1, "lat": 30}],
    "POST /service-days": [
        {}, {"title": "奉献日", "date": "tomorrow", "street_id": 1, "venues": []},
        {"title": "奉献日", "date": "9999-12-31", "street_id": 1,
         "venues": [{"venue_id": 1, "kind": "main"}]},
        {"title": "奉献日", "date": soon_date(500), "street_id": 1,
         "venues": [{"venue_id": 1, "kind": "main"}]},
        {"title": "奉献日", "date": soon_date(3), "street_id": 1,
         "venues": [{"venue_id": 1, "kind": "stage"}]},
        {"title": "奉献日", "date": soon_date(3), "street_id": 1,
         "venues": [{"venue_id": 424242, "kind": "main"}]},
    ],
    "POST /service-days/{day_id}/stalls": [{}, {"venue_id": 1}, {"venue_id": 1, "offering_id": 0},
                                           {"venue_id": 424242, "offering_id": 1},
                                           {"venue_id": 1, "offering_id": 424242}],
}


def _counts():
    db.session.rollback()
    return [db.session.execute(db.select(db.func.count()).select_from(m)).scalar()
            for m in (ServiceOffering, ServiceOrder)]


@pytest.mark.parametrize("key", sorted(BAD))
def test_bad_bodies_get_422(client, world, login, key):
    add_orders(world)
    db.session.commit()
    ids = {"service_id": world.offering.id, "order_id": world.orders["requested"].id,
           "day_id": world.service_day.id}
    method, template = key.split(" ", 1)
    headers = login("admin")
    before = _counts()
    for body in BAD[key]:
        resp = client.open(API + template.format(**ids), method=method, json=body, headers=headers)
        assert resp.status_code == 422, (key, body, resp.status_code, resp.get_json())
        assert set(resp.get_json()) == {"code", "status", "message", "errors", "request_id"}
    assert _counts() == before


@pytest.mark.parametrize("path", [
    "/services?category=magic", "/services?community_id=abc", "/services?date=someday",
    "/services?date=9999-12-31", "/services?date=0001-01-01", "/services?lat=30",
    "/services?lat=91&lng=0", "/services?radius_m=5", "/services?available=maybe",
    "/services?page_size=101", "/services?mode=x", "/orders/mine?role=boss",
    "/orders/mine?status=lost", "/orders?kind=x", "/orders?unassigned=perhaps",
    "/orders?community_id=99999999999999999999", "/orders?status=gone", "/venues?community_id=x",
    "/service-days?street_id=0", "/service-days?from=yesterday", "/service-days?from=9999-01-01",
])
def test_bad_query_parameters_get_422(client, world, login, path):
    resp = client.get(API + path, headers=login("admin"))
    assert resp.status_code == 422, (path, resp.get_json())


@pytest.mark.parametrize("path", ["/services/0", "/services/424242", "/services/abc",
                                  "/orders/424242", "/orders/99999999999", "/orders/-1",
                                  "/service-days/424242", "/service-days/x"])
def test_unknown_ids_are_404(client, world, login, path):
    resp = client.get(API + path, headers=login("admin"))
    assert resp.status_code == 404 and resp.get_json()["code"] == 404


@pytest.mark.parametrize("action", ["accept", "complete", "cancel", "no-show", "rate", "assign",
                                    "release"])
def test_moves_on_unknown_orders_are_404(client, world, login, action):
    body = {"reason": "x", "rating": 5, "volunteer_id": 1}
    body = {k: v for k, v in body.items() if (k, action) in (
        ("reason", "cancel"), ("rating", "rate"), ("volunteer_id", "assign"))}
    resp = client.post(f"{API}/orders/424242/{action}", headers=login("admin"), json=body)
    assert resp.status_code == 404


def test_moves_on_withdrawn_or_missing_services(client, world, login):
    assert client.patch(f"{API}/services/424242", headers=login("admin"),
                        json={"title": "改名"}).status_code == 404
    assert client.post(f"{API}/services/424242/withdraw", headers=login("admin"),
                       json={}).status_code == 404
