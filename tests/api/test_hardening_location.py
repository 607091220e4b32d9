"""Issue 10, finding 2: nothing public locates a home better than the coarse (~1 km) grid.

An anonymous attacker asks the public list from three points and solves for a home from the
distances it returns (trilateration), or from the radius filter's yes/no answers (bisection on
radius_m); the home must stay at least several hundred metres away from the answer. Every kind
of public object that sits at a home is one line of KINDS, so later kinds inherit the check.
Then the sweep: every public GET answers no coordinate off the grid and no distance finer than
its step.
"""
import math
from dataclasses import dataclass
from typing import Callable

import pytest

from server.extensions import db
from server.policy import location
from tests.factories import make_wish
from tests.order_world import make_offering

API = "/api/v1"
# A home near the corner of its 0.01° cell (the cell centre is 30.30, 120.15): ~620 m from the
# centre, which is all anyone may learn.
HOME = (30.3042, 120.1457)
CELL_CENTRE = (30.30, 120.15)
# Three anonymous query points around it, off the grid (as a phone's GPS would be).
QUERY_POINTS = [(30.3213, 120.1431), (30.2907, 120.1688), (30.2881, 120.1262)]
MIN_ERROR_M = 300  # the best any attacker may do: the cell (half a cell diagonal is ~730 m)


def _place_wish(world, lat, lng) -> int:
    wish = make_wish(world, status="open")
    wish.lat, wish.lng = lat, lng
    db.session.flush()
    return wish.id


def _place_home_offering(world, lat, lng) -> int:
    volunteer = world.volunteers["volunteer"]
    volunteer.lat, volunteer.lng = lat, lng  # a home visit starts at the volunteer's home
    offering = make_offering(world, mode="home")
    offering.lat, offering.lng = lat, lng
    db.session.flush()
    return offering.id


@dataclass(frozen=True)
class Kind:
    place: Callable  # (world, lat, lng) -> id of a public object located at that home
    list_path: str   # the public list, which takes lat, lng and radius_m
    detail_path: str


def _place_project(world, lat, lng) -> int:  # volunteer service system, part b
    from tests.service_system_b_world import make_project
    project = make_project(world)
    project.lat, project.lng = lat, lng  # e.g. a handrail at an old resident's door
    db.session.flush()
    return project.id


KINDS = {
    "wish": Kind(_place_wish, "/wishes", "/wishes/{id}"),
    "home_offering": Kind(_place_home_offering, "/services", "/services/{id}"),
    "project": Kind(_place_project, "/projects", "/projects/{id}"),
}


def _xy(lat, lng):
    """Local metres around the home (equirectangular), as the attacker would use."""
    kx = location.M_PER_DEG * math.cos(math.radians(HOME[0]))
    return (lng - HOME[1]) * kx, (lat - HOME[0]) * location.M_PER_DEG


def _trilaterate(points, distances):
    """The position whose distances to the three points are the given ones (exact solve of the
    two linear equations the circles' differences give)."""
    (x1, y1), (x2, y2), (x3, y3) = [_xy(*p) for p in points]
    d1, d2, d3 = distances
    a11, a12 = 2 * (x2 - x1), 2 * (y2 - y1)
    a21, a22 = 2 * (x3 - x1), 2 * (y3 - y1)
    b1 = d1 ** 2 - d2 ** 2 - x1 ** 2 + x2 ** 2 - y1 ** 2 + y2 ** 2
    b2 = d1 ** 2 - d3 ** 2 - x1 ** 2 + x3 ** 2 - y1 ** 2 + y3 ** 2
    det = a11 * a22 - a12 * a21
    return (b1 * a22 - b2 * a12) / det, (a11 * b2 - a21 * b1) / det


def _error_m(points, distances) -> float:
    x, y = _trilaterate(points, distances)
    return math.hypot(x, y)  # the home is the origin of _xy


def _listed(client, kind, object_id, lat, lng, radius):
    resp = client.get(f"{API}{kind.list_path}?lat={lat}&lng={lng}&radius_m={radius}"
                      "&page_size=100")
    assert resp.status_code == 200, resp.get_json()
    return next((row for row in resp.get_json() if row["id"] == object_id), None)


@pytest.fixture(params=sorted(KINDS))
def placed(request, world):
    kind = KINDS[request.param]
    object_id = kind.place(world, *HOME)
    db.session.commit()
    return kind, object_id


def test_trilateration_from_public_distances_misses_the_home(client, placed):
    kind, object_id = placed
    distances = [_listed(client, kind, object_id, lat, lng, 50_000)["distance_m"]
                 for lat, lng in QUERY_POINTS]
    assert _error_m(QUERY_POINTS, distances) >= MIN_ERROR_M, distances


def test_bisection_of_the_radius_filter_misses_the_home(client, placed):
    kind, object_id = placed
    thresholds = []
    for lat, lng in QUERY_POINTS:
        low, high = 100, 20_000  # not listed within `low`, listed within `high`
        assert _listed(client, kind, object_id, lat, lng, high) is not None
        if _listed(client, kind, object_id, lat, lng, low) is not None:
            thresholds.append(low)
            continue
        while high - low > 1:
            middle = (low + high) // 2
            if _listed(client, kind, object_id, lat, lng, middle) is None:
                low = middle
            else:
                high = middle
        thresholds.append(high)
    assert _error_m(QUERY_POINTS, thresholds) >= MIN_ERROR_M, thresholds


def test_two_homes_in_one_cell_get_the_same_answers(client, world, placed):
    """The strong form: every public answer depends on the cell alone."""
    kind, object_id = placed
    other = KINDS["wish"].place(world, CELL_CENTRE[0] - 0.0047, CELL_CENTRE[1] + 0.0044)
    db.session.commit()
    twin = KINDS["wish"]
    for lat, lng in QUERY_POINTS + [HOME, CELL_CENTRE]:
        mine = _listed(client, kind, object_id, lat, lng, 50_000)
        theirs = _listed(client, twin, other, lat, lng, 50_000)
        assert mine["distance_m"] == theirs["distance_m"], (lat, lng)


def test_lists_and_details_publish_only_the_coarse_position(client, placed):
    kind, object_id = placed
    rows = [_listed(client, kind, object_id, *QUERY_POINTS[0], 50_000),
            client.get(API + kind.detail_path.format(id=object_id)).get_json()]
    for row in rows:
        text = repr(row)
        assert str(HOME[0]) not in text and str(HOME[1]) not in text, row
        for key in ("lat", "lng", "approx_lat", "approx_lng"):
            if row.get(key) is not None:
                assert round(row[key], 2) == row[key], (key, row[key])
        assert (row.get("approx_lat", row.get("lat")), row.get("approx_lng", row.get("lng"))) \
            == CELL_CENTRE


# --- the sweep: every public GET, with a position ------------------------------------------

# Public places, not homes: they keep their positions (DESIGN.md).
PUBLIC_PLACES = {"service_days.list_venues", "service_days.list_service_days",
                 "service_days.get_service_day", "identity.list_communities"}
COORDINATE_KEYS = {"lat", "lng", "approx_lat", "approx_lng"}


def _numbers(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _numbers(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item, key)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield key, value


def _public_gets(app, world):
    public = app.extensions["lianxin_public_endpoints"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint in public and "GET" in rule.methods and rule.endpoint not in PUBLIC_PLACES:
            template = rule.rule[len(API):].replace("<int:", "{").replace(">", "}")
            yield rule.endpoint, template


def test_no_public_response_is_finer_than_the_grid(app, client, world):
    from tests.order_world import add_orders
    add_orders(world)
    ids = {"wish_id": KINDS["wish"].place(world, *HOME),
           "service_id": KINDS["home_offering"].place(world, *HOME)}
    db.session.commit()
    checked = 0
    for endpoint, template in _public_gets(app, world):
        if "{" in template:
            key = template[template.index("{") + 1:template.index("}")]
            if ids.get(key) is None:
                continue
            template = template.replace("{" + key + "}", str(ids[key]))
        for lat, lng in QUERY_POINTS:
            resp = client.get(f"{API}{template}?lat={lat}&lng={lng}&page_size=100")
            if resp.status_code != 200:
                continue
            for key, number in _numbers(resp.get_json()):
                if key in COORDINATE_KEYS:
                    assert round(number, 2) == number, (endpoint, key, number)
                if key is not None and key.endswith("distance_m"):
                    assert number % location.DISTANCE_STEP_M == 0, (endpoint, key, number)
            checked += 1
    assert checked >= 6
