"""Hostile input on every endpoint of the volunteer service system (posts, pairings, projects,
check-ins, 争六星, 一人一档): huge and negative numbers, wrong types, bad dates and periods,
empty bodies — always a 4xx in API.md's error shape with a Chinese message, never a 5xx; and the
check-in's time and geofence rules at their boundaries (local day against UTC, east-west
distances). Probes from the service-system review (tests/api/test_review_service_system.py)."""
import math
import re
from datetime import UTC, datetime, time, timedelta

import pytest

from server.checkins import services as checkins
from server.errors import Conflict, Invalid
from server.extensions import db
from server.identity.services import load_actor
from server.timeutil import LOCAL_TZ
from tests.service_system_b_world import (
    FULL,
    add_unit_secretary,
    make_checkin_day,
    make_period,
    make_project,
    make_review,
)
from tests.service_system_world import make_household, make_log, make_pairing_run, make_post

API = "/api/v1"
HAN = re.compile(r"[\u4e00-\u9fff]")
BIG = 2**63
BODIES = [
    {},
    {"volunteer_id": BIG, "household_id": -1, "community_id": 2**31, "seats": 10**30,
     "hours": -1, "note": 5, "decision": None, "kind": "", "visit_every_days": 0},
    {"hours": 1e308, "note": "巡逻", "seats": -3, "name": ["x"], "duties": {"a": 1}},
    {"hours": "1.5", "note": "巡逻一小时"},
    {"hours": True, "note": "巡逻一小时", "decision": "confirm", "reason": "长" * 10_000},
    {"scores": {**FULL, "zongzhi": 2**70}, "period": "2026H3"},
    {"scores": [1, 2, 3], "period": 2026, "note": None},
    {"scores": {**FULL, "zongzhi": 1.5}, "period": "0000H1"},
    {"scores": {**FULL, "zongzhi": True, "extra": 1}, "comment": 7},
    {"venue_id": -1, "lat": 90.0000001, "lng": -180.5},
    {"venue_id": BIG, "lat": True, "lng": "120"},
    {"progress": -1, "done": "yes", "unit_id": 0, "title": "", "lat": 30},
    {"progress": 10**9, "note": "进展", "done": None},
    {"visit_every_days": 367, "kind": "three_to_one", "community_id": "1"},
]
RAW = [b"null", b"[]", b'"x"', b"1e400", b'{"hours": 1e400, "note": "ok"}', b"{"]
QUERIES = ["community_id=0", "community_id=-1", "community_id=abc", f"community_id={2**40}",
           "status=everything", "overdue=2", "period=2026H9", "period=2026h1", "role=god",
           "page=0", "per_page=100000", "lat=91&lng=0", "lat=30&lng=120&radius_m=-5",
           f"street_id={2**40}", f"venue_id={2**40}", "venue_id=1.5"]


def _world_ids(world):
    add_unit_secretary(world)
    make_household(world)
    post = make_post(world, holders=("volunteer",))
    log = make_log(world, post)
    run, proposal = make_pairing_run(world)
    from tests.service_system_world import make_pairing
    pairing = make_pairing(world)
    project = make_project(world, status="claimed")
    day, venue = make_checkin_day(world)
    make_period()
    review = make_review(world, who="volunteer2", status="peer_reviewed")
    db.session.commit()
    return {"post": post.id, "holder": post.holders[0].id, "log": log.id, "pairing": pairing.id,
            "run": run.id, "proposal": proposal.id, "project": project.id, "day": day.id,
            "review": review.id, "period": review.period.code,
            "volunteer": world.volunteers["volunteer"].id}


def _writes(ids):
    p, r = ids["post"], ids["review"]
    return ["/posts", f"/posts/{p}/holders", f"/posts/{p}/holders/{ids['holder']}/end",
            f"/posts/{p}/logs", f"/posts/{p}/logs/{ids['log']}/decision", "/pairings",
            f"/pairings/{ids['pairing']}/end", f"/pairings/{ids['pairing']}/visits",
            "/pairings/proposals", f"/pairings/proposals/{ids['proposal']}/accept",
            f"/pairings/proposals/{ids['proposal']}/reject", "/projects",
            f"/projects/{ids['project']}/claims", f"/projects/{ids['project']}/updates",
            f"/projects/{ids['project']}/cancel", f"/service-days/{ids['day']}/check-ins",
            "/star-reviews", f"/star-reviews/{r}/peer-scores", f"/star-reviews/{r}/branch-review",
            f"/star-reviews/{r}/approve"]


def _reads(ids):
    return ["/posts", f"/posts/{ids['post']}/logs", "/pairings", "/pairings.xlsx",
            "/pairings/overdue", "/pairings/runs", "/projects", "/projects/mine",
            "/projects/three-lists", "/projects.xlsx", f"/service-days/{ids['day']}/check-ins",
            f"/service-days/{ids['day']}/check-ins.xlsx", "/check-ins/mine", "/star-reviews/mine",
            "/star-reviews/queue", "/star-reviews.xlsx", "/star-periods",
            f"/star-periods/{ids['period']}/results", f"/volunteers/{ids['volunteer']}/file"]


def _in_shape(resp, what):
    assert resp.status_code < 500, (what, resp.status_code, resp.get_data(as_text=True)[:300])
    if resp.status_code >= 400:
        body = resp.get_json()
        assert body is not None and {"code", "message", "errors"} <= set(body), (what, body)
        assert body["code"] == resp.status_code and HAN.search(body["message"]), (what, body)


@pytest.mark.parametrize("who", ["secretary", "volunteer", "street_secretary", "unit_secretary"])
def test_no_body_on_any_write_gives_a_5xx(client, world, login, who):
    ids = _world_ids(world)
    headers = login(who)
    for path in _writes(ids):
        for body in BODIES:
            _in_shape(client.post(f"{API}{path}", headers=headers, json=body), (path, body))
        for raw in RAW:
            _in_shape(client.post(f"{API}{path}", headers=headers, data=raw,
                                  content_type="application/json"), (path, raw))
    _in_shape(client.post(f"{API}/check-ins/{2**31 - 1}/check-out", headers=headers), "out")


@pytest.mark.parametrize("who", ["secretary", "volunteer", "street_secretary", "resident"])
def test_no_query_on_any_read_gives_a_5xx(client, world, login, who):
    ids = _world_ids(world)
    headers = login(who)
    for path in _reads(ids):
        for query in QUERIES:
            _in_shape(client.get(f"{API}{path}?{query}", headers=headers), (path, query))
    for code in ("2026H3", "0000H1", "x" * 300, "2026H1%00", "%E4%B8%AD"):
        _in_shape(client.get(f"{API}/star-periods/{code}/results"), code)


def test_duty_hours_at_their_bounds(client, world, login):
    post = make_post(world, holders=("volunteer",))
    db.session.commit()
    vol = login("volunteer")
    for hours, status in ((0.1, 201), (24, 201), (23.999, 201), (0.09, 422), (24.01, 422),
                          (-0.5, 422), (0, 422)):
        resp = client.post(f"{API}/posts/{post.id}/logs", headers=vol,
                           json={"note": "值班巡逻", "hours": hours})
        assert resp.status_code == status, (hours, resp.get_json())


# --- check-in boundaries ---------------------------------------------------------------------------

def _at(day, hh, mm=0, ss=0, micro=0):
    return datetime.combine(day.day, time(hh, mm, ss, micro), tzinfo=LOCAL_TZ)


def test_the_check_in_window_is_the_local_day_whatever_utc_says(world):
    day, venue = make_checkin_day(world, days=1, opens=time(6), closes=time(12))
    db.session.commit()
    actor = load_actor(world.users["volunteer"].id)
    pos = {"venue_id": venue.id, "lat": venue.lat, "lng": venue.lng}
    # 05:59:59.999999 local is the evening before in UTC; 06:00 local is still the day before in UTC
    with pytest.raises(Conflict):
        checkins.check_in(actor, day.id, pos, now=_at(day, 5, 59, 59, 999_999).astimezone(UTC))
    opened = _at(day, 6).astimezone(UTC)
    assert opened.date() == day.day - timedelta(days=1)
    assert checkins.check_in(actor, day.id, pos, now=opened).status == "checked_in"
    other = load_actor(world.users["volunteer2"].id)
    with pytest.raises(Conflict):
        checkins.check_in(other, day.id, pos, now=_at(day, 12).astimezone(UTC))
    assert checkins.check_in(other, day.id, pos,
                             now=_at(day, 11, 59, 59, 999_999).astimezone(UTC)).id


@pytest.mark.parametrize("metres, ok", [(280, True), (299, True), (305, False), (320, False)])
def test_the_radius_holds_east_west_as_well_as_north_south(world, metres, ok):
    day, venue = make_checkin_day(world, radius_m=300)
    db.session.commit()
    actor = load_actor(world.users["volunteer"].id)
    per_degree = 111_320.0 * math.cos(math.radians(venue.lat))
    pos = {"venue_id": venue.id, "lat": venue.lat, "lng": venue.lng + metres / per_degree}
    if ok:
        assert checkins.check_in(actor, day.id, pos).status == "checked_in"
    else:
        with pytest.raises(Invalid):
            checkins.check_in(actor, day.id, pos)


def test_a_venue_of_another_day_is_refused_even_when_standing_on_it(client, world, login):
    day, venue = make_checkin_day(world)
    other_day, _ = make_checkin_day(world)
    from server.service_days.models import Venue
    far = Venue(name="丙社区服务站", community_id=world.communities[2].id, lat=30.3105, lng=120.1702)
    db.session.add(far)
    db.session.commit()
    resp = client.post(f"{API}/service-days/{day.id}/check-ins", headers=login("volunteer"),
                       json={"venue_id": far.id, "lat": far.lat, "lng": far.lng})
    assert resp.status_code == 422 and resp.get_json()["errors"]["venue_id"]
    assert other_day.id != day.id


def test_a_check_out_the_next_day_counts_only_to_the_closing(world):
    day, venue = make_checkin_day(world, opens=time(8), closes=time(12))
    db.session.commit()
    actor = load_actor(world.users["volunteer"].id)
    pos = {"venue_id": venue.id, "lat": venue.lat, "lng": venue.lng}
    checkin = checkins.check_in(actor, day.id, pos, now=_at(day, 11, 30))
    done = checkins.check_out(actor, checkin.id, now=_at(day, 11, 30) + timedelta(days=3))
    assert done.minutes == 30
    with pytest.raises(Conflict):
        checkins.check_out(actor, checkin.id, now=_at(day, 11, 45))


def _second_day_same_date(world, day):
    """Another service day on the same date (street 2's, at a venue in community C)."""
    from server.service_days.models import ServiceDay, ServiceDayVenue, Venue
    c = world.communities[2]
    venue = Venue(name="丙社区党群服务中心", community_id=c.id, lat=c.lat, lng=c.lng)
    other = ServiceDay(title="丙街道奉献日", street_id=world.streets[1].id, day=day.day,
                       opens_at=day.opens_at, closes_at=day.closes_at)
    db.session.add_all([venue, other])
    db.session.flush()
    db.session.add(ServiceDayVenue(service_day_id=other.id, venue_id=venue.id, kind="main"))
    db.session.flush()
    return other, venue


def test_one_presence_at_a_time_across_days_of_the_same_date(client, world, login):
    """Hole: once per member was per service DAY, so on a date with two days (two streets', or
    a morning and an afternoon event) a member checked in at one venue, walked to the other and
    checked in again: every minute counted twice (hours and points). Now a member still checked
    in elsewhere that date checks out there first (409)."""
    day, venue = make_checkin_day(world)
    other, far = _second_day_same_date(world, day)
    db.session.commit()
    vol = login("volunteer")
    first = client.post(f"{API}/service-days/{day.id}/check-ins", headers=vol,
                        json={"venue_id": venue.id, "lat": venue.lat, "lng": venue.lng})
    assert first.status_code == 201, first.get_json()
    second = client.post(f"{API}/service-days/{other.id}/check-ins", headers=vol,
                         json={"venue_id": far.id, "lat": far.lat, "lng": far.lng})
    assert second.status_code == 409, second.get_json()
    assert second.get_json()["message"] == "您在另一场奉献日的报到还未签退，请先签退再报到"
    out = client.post(f"{API}/check-ins/{first.get_json()['id']}/check-out", headers=vol)
    assert out.status_code == 200
    after = client.post(f"{API}/service-days/{other.id}/check-ins", headers=vol,
                        json={"venue_id": far.id, "lat": far.lat, "lng": far.lng})
    assert after.status_code == 201, after.get_json()


def test_racing_check_ins_at_two_days_of_one_date_make_one(app, client, world, login):
    from server.checkins.models import CheckIn
    from tests.concurrency import race
    day, venue = make_checkin_day(world)
    other, far = _second_day_same_date(world, day)
    db.session.commit()
    vol = login("volunteer")
    results = race(app, [("POST", f"{API}/service-days/{d.id}/check-ins", vol,
                          {"venue_id": v.id, "lat": v.lat, "lng": v.lng})
                         for d, v in [(day, venue), (other, far)] * 4])
    codes = sorted(code for code, _ in results)
    assert codes == [201] + [409] * 7, codes
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(CheckIn)).scalar_one() == 1


def test_two_check_outs_at_once_check_out_once(app, client, world, login):
    """Found in review (PostgreSQL): the check-out read the row without a lock, so a double tap
    answered 200 twice (API: a second check-out is 409)."""
    from datetime import UTC

    from server.checkins.models import CheckIn
    from tests.concurrency import race
    day, venue = make_checkin_day(world)
    db.session.commit()
    vol = login("volunteer")
    checkin = client.post(f"{API}/service-days/{day.id}/check-ins", headers=vol, json={
        "venue_id": venue.id, "lat": venue.lat, "lng": venue.lng}).get_json()
    db.session.get(CheckIn, checkin["id"]).checked_in_at = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    results = race(app, [("POST", f"{API}/check-ins/{checkin['id']}/check-out", vol, None)] * 4)
    assert sorted(code for code, _ in results) == [200, 409, 409, 409], results
