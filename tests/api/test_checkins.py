"""报到 through the API and the service: the day's hours, the venue's radius, once per member and
day (also when racing), check-out hours and points, the day's figures, who sees the live list,
what is (not) stored of the volunteer's position, and bad input → 4xx."""
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import inspect

from server.checkins import services
from server.checkins.models import CheckIn
from server.errors import Conflict, Invalid
from server.extensions import db
from server.identity.services import load_actor
from server.points.models import PointsEntry
from server.timeutil import LOCAL_TZ, utcnow
from tests.concurrency import race
from tests.factories import make_wish
from tests.service_system_b_world import make_checkin_day

API = "/api/v1"
AT = {"lat": 30.2968, "lng": 120.1523}  # community A's venue


def _post(client, headers, day, venue, **pos):
    return client.post(f"{API}/service-days/{day.id}/check-ins", headers=headers,
                       json={"venue_id": venue.id, **(pos or AT)})


def test_check_in_then_out_gives_hours_and_points(client, world, login):
    day, venue = make_checkin_day(world)
    db.session.commit()
    headers = login("volunteer")
    resp = _post(client, headers, day, venue)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["status"] == "checked_in" and body["venue"]["lat"] == venue.lat
    assert "lat" not in body and "lng" not in body  # never the volunteer's position
    again = _post(client, headers, day, venue)
    assert again.status_code == 409 and "已经报到" in again.get_json()["message"]
    actor = load_actor(world.users["volunteer"].id)
    checkin = db.session.get(CheckIn, body["id"])
    checkin.checked_in_at = utcnow() - timedelta(minutes=95)
    db.session.commit()
    out = services.check_out(actor, body["id"])
    db.session.commit()
    assert (out.status, out.minutes, out.hours) == ("checked_out", 95, 1.58)
    assert db.session.execute(db.select(PointsEntry.delta).filter_by(
        reason="service_day_checkout", ref_id=out.id)).scalar_one() == 5
    twice = client.post(f"{API}/check-ins/{body['id']}/check-out", headers=headers)
    assert twice.status_code == 409
    mine = client.get(f"{API}/check-ins/mine", headers=headers).get_json()
    assert [c["minutes"] for c in mine] == [95]


def test_a_short_check_out_earns_hours_but_no_points(client, world, login):
    day, venue = make_checkin_day(world)
    db.session.commit()
    body = _post(client, login("volunteer"), day, venue).get_json()
    resp = client.post(f"{API}/check-ins/{body['id']}/check-out", headers=login("volunteer"))
    assert resp.status_code == 200 and resp.get_json()["minutes"] < 30
    assert db.session.execute(db.select(PointsEntry).filter_by(
        reason="service_day_checkout")).first() is None
    other = client.post(f"{API}/check-ins/{body['id']}/check-out", headers=login("volunteer2"))
    assert other.status_code == 404


def test_hours_end_at_the_days_closing(world):
    day, venue = make_checkin_day(world, opens=time(8), closes=time(12))
    db.session.commit()
    actor = load_actor(world.users["volunteer"].id)
    nine = datetime.combine(day.day, time(9), tzinfo=LOCAL_TZ)
    checkin = services.check_in(actor, day.id, {"venue_id": venue.id, **AT}, now=nine)
    out = services.check_out(actor, checkin.id, now=nine + timedelta(hours=8))
    assert out.minutes == 180


@pytest.mark.parametrize("when, ok", [
    (time(7, 59, 59), False), (time(8), True), (time(11, 59), True), (time(12), False),
])
def test_the_days_hours(world, when, ok):
    day, venue = make_checkin_day(world, opens=time(8), closes=time(12))
    db.session.commit()
    actor = load_actor(world.users["volunteer"].id)
    now = datetime.combine(day.day, when, tzinfo=LOCAL_TZ)
    if ok:
        assert services.check_in(actor, day.id, {"venue_id": venue.id, **AT}, now=now).id
    else:
        with pytest.raises(Conflict):
            services.check_in(actor, day.id, {"venue_id": venue.id, **AT}, now=now)


def test_another_day_is_409(client, world, login):
    tomorrow, venue = make_checkin_day(world, days=1)
    yesterday, _ = make_checkin_day(world, days=-1)
    db.session.commit()
    for day in (tomorrow, yesterday):
        resp = _post(client, login("volunteer"), day, venue)
        assert resp.status_code == 409 and "报到时间" in resp.get_json()["message"]


@pytest.mark.parametrize("metres, ok", [(0, True), (250, True), (299, True), (320, False),
                                        (1000, False), (50_000, False)])
def test_the_venues_radius(world, metres, ok):
    day, venue = make_checkin_day(world, radius_m=300)
    db.session.commit()
    actor = load_actor(world.users["volunteer"].id)
    pos = {"venue_id": venue.id, "lat": venue.lat + metres / 111_320.0, "lng": venue.lng}
    if ok:
        assert services.check_in(actor, day.id, pos).status == "checked_in"
    else:
        with pytest.raises(Invalid) as refused:
            services.check_in(actor, day.id, pos)
        assert "300 米" in refused.value.message


def test_outside_the_radius_is_422_through_the_api(client, world, login):
    day, venue = make_checkin_day(world)
    db.session.commit()
    resp = _post(client, login("volunteer"), day, venue, lat=AT["lat"] + 0.01, lng=AT["lng"])
    assert resp.status_code == 422 and resp.get_json()["errors"]["lat"]


def test_only_active_volunteers_check_in(client, world, login):
    day, venue = make_checkin_day(world)
    world.volunteers["volunteer2"].status = "left"
    db.session.commit()
    for who in ("resident", "applicant", "volunteer2", "secretary"):
        assert _post(client, login(who), day, venue).status_code == 403, who


def test_venue_not_of_the_day_and_unknown_day(client, world, login):
    day, venue = make_checkin_day(world)
    _other_day, _ = make_checkin_day(world)
    from server.service_days.models import Venue
    elsewhere = Venue(name="丙社区", community_id=world.communities[2].id, lat=30.31, lng=120.17)
    db.session.add(elsewhere)
    db.session.commit()
    assert _post(client, login("volunteer"), day, elsewhere).status_code == 422
    assert client.post(f"{API}/service-days/999999/check-ins", headers=login("volunteer"),
                       json={"venue_id": venue.id, **AT}).status_code == 404


def test_figures_and_the_live_list(client, world, login):
    day, venue = make_checkin_day(world)
    wish = make_wish(world, status="fulfilled", claimer="volunteer")
    wish.fulfilled_at = utcnow()
    db.session.commit()
    for who in ("volunteer", "volunteer2", "volunteer_b"):
        assert _post(client, login(who), day, venue).status_code == 201
    figures = client.get(f"{API}/service-days/{day.id}").get_json()["figures"]
    assert figures["check_ins"] == 3 and figures["members_reported"] == 2  # B reports elsewhere
    assert figures["wishes_fulfilled"] == 1 and figures["households_visited"] == 1
    live = client.get(f"{API}/service-days/{day.id}/check-ins", headers=login("secretary"))
    assert live.status_code == 200 and len(live.get_json()) == 3
    assert {c["name"] for c in live.get_json()} >= {"李建国"}
    b_view = client.get(f"{API}/service-days/{day.id}/check-ins", headers=login("secretary_b"))
    assert [c["community_id"] for c in b_view.get_json()] == [world.communities[1].id]
    assert client.get(f"{API}/service-days/{day.id}/check-ins",
                      headers=login("volunteer")).status_code == 403


def test_nothing_of_the_volunteers_position_is_stored(db):
    columns = {c["name"] for c in inspect(db.engine).get_columns("service_day_checkins")}
    assert not columns & {"lat", "lng", "distance_m", "position"}


def test_ten_concurrent_check_ins_make_one_row(app, client, world, login):
    day, venue = make_checkin_day(world)
    db.session.commit()
    heads = [login("volunteer") for _ in range(10)]
    results = race(app, [("POST", f"{API}/service-days/{day.id}/check-ins", h,
                          {"venue_id": venue.id, **AT}) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == 9, codes
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(CheckIn)).scalar() == 1


@pytest.mark.parametrize("body", [
    {}, {"venue_id": 1}, {"venue_id": 1, "lat": 30.29}, {"venue_id": "一", "lat": 30, "lng": 120},
    {"venue_id": 1, "lat": 91, "lng": 120}, {"venue_id": 1, "lat": 30, "lng": -181},
    {"venue_id": 1, "lat": "NaN", "lng": 120}, {"venue_id": 0, "lat": 30, "lng": 120},
    {"venue_id": 2**40, "lat": 30, "lng": 120}, {"venue_id": 1, "lat": [30], "lng": 120},
    {"venue_id": 1, "lat": 30, "lng": 120, "extra": True}, {"venue_id": 1, "lat": None, "lng": 1},
])
def test_bad_check_in_input_is_422(client, world, login, body):
    day, _venue = make_checkin_day(world)
    db.session.commit()
    resp = client.post(f"{API}/service-days/{day.id}/check-ins", headers=login("volunteer"),
                       json=body)
    assert resp.status_code == 422, resp.get_json()


def test_my_export_holds_my_check_ins_projects_and_star_reviews(client, world, login):
    from tests.service_system_b_world import make_project, make_review
    day, venue = make_checkin_day(world)
    make_project(world, status="claimed")
    make_review(world, who="volunteer")
    db.session.commit()
    _post(client, login("volunteer"), day, venue)
    data = client.get(f"{API}/me/export", headers=login("volunteer")).get_json()
    assert [c["service_day_id"] for c in data["check_ins"]] == [day.id]
    assert len(data["projects_claimed"]) == 1 and len(data["star_reviews"]) == 1
    assert data["star_peer_scores_given"] == []


def test_a_street_sets_the_days_hours_and_each_venues_radius(client, world, login):
    from tests.order_world import make_venue, soon_date
    venue = make_venue(world)
    db.session.commit()
    body = {"title": "党员报到日", "date": soon_date(3), "street_id": world.streets[0].id,
            "venues": [{"venue_id": venue.id, "kind": "main", "radius_m": 150}]}
    street = login("street_secretary")
    made = client.post(f"{API}/service-days", headers=street,
                       json={**body, "opens_at": "07:30:00", "closes_at": "11:00:00"})
    assert made.status_code == 201, made.get_json()
    day = made.get_json()
    assert (day["opens_at"], day["closes_at"]) == ("07:30:00", "11:00:00")
    assert day["venues"][0]["radius_m"] == 150
    default = client.post(f"{API}/service-days", headers=street, json=body).get_json()
    assert (default["opens_at"], default["closes_at"]) == ("08:00:00", "18:00:00")
    for bad in ({"opens_at": "12:00:00", "closes_at": "09:00:00"}, {"opens_at": "25:00"},
                {"venues": [{"venue_id": venue.id, "kind": "main", "radius_m": 10}]}):
        assert client.post(f"{API}/service-days", headers=street,
                           json={**body, **bad}).status_code == 422, bad
