"""Policy: location — nothing public locates a home (DESIGN.md "People and roles").

Everything public about where an object is (a wish's owner's home, a home-visit volunteer's
home, any place a future capability publishes) works from its *coarse position*: the centre of
the 0.01° grid cell it lies in (about 1.1 km north-south and 0.95 km east-west at Hangzhou's
latitude; DESIGN.md allows ~1 km). The caller's query point is snapped to the same grid, so every
public answer — a position, a distance, a radius filter's yes/no, the order of a list — is a
function of the two *cells* alone: no number of queries, from any points, tells two homes in the
same cell apart (tests/api/test_hardening_location.py trilaterates to show it).

Public places (venues, service days, communities) are not homes and keep their positions.

Use:
- `coarse_point(lat, lng)`             the public position of a point;
- `public_place(lat, lng, near=(lat, lng) | None)`  what a public serializer prints
  (approx_lat, approx_lng, distance_m) — every public view carries one;
- `near(query, lat_col, lng_col, lat, lng, radius_m)`  a radius filter and a nearest-first order
  for a SQL query, on the coarse positions of the rows and of the caller's point.
"""
import math
from dataclasses import dataclass

from sqlalchemy import func

from matching.geo import M_PER_DEG, m_per_deg_lng, metres_between

CELLS_PER_DEG = 100          # a 0.01° grid
DISTANCE_STEP_M = 100        # public distances are rounded to this
DEFAULT_RADIUS_M = 3000
# The smallest error the coarse grid guarantees to anyone locating a point from public answers
# (a home at the corner of its cell is this far from the cell centre, at most ~0.7 km).
CELL_M = M_PER_DEG / CELLS_PER_DEG


def _snap(value: float) -> float:
    return math.floor(value * CELLS_PER_DEG + 0.5) / CELLS_PER_DEG


def coarse_point(lat: float, lng: float) -> tuple[float, float]:
    """The centre of the grid cell holding (lat, lng): the only public position of a home."""
    return _snap(lat), _snap(lng)


def public_distance(lat: float, lng: float, query_lat: float | None,
                    query_lng: float | None) -> int | None:
    """Metres between the coarse positions of an object and of the caller's point, rounded to
    DISTANCE_STEP_M; None when the caller gave no point."""
    if query_lat is None or query_lng is None:
        return None
    (a_lat, a_lng), (q_lat, q_lng) = coarse_point(lat, lng), coarse_point(query_lat, query_lng)
    metres = metres_between(a_lat, a_lng, q_lat, q_lng)
    return int(round(metres / DISTANCE_STEP_M) * DISTANCE_STEP_M)


@dataclass(frozen=True)
class PublicPlace:
    """Where an object is, as the public may know it."""
    approx_lat: float
    approx_lng: float
    distance_m: int | None = None


class PubliclyPlaced:
    """A view model's public position, read from its `place` (a PublicPlace) — the only position
    a public serializer may print: `approx_lat`, `approx_lng` (also as `lat`, `lng`) and
    `distance_m`."""

    @property
    def approx_lat(self) -> float:
        return self.place.approx_lat

    @property
    def approx_lng(self) -> float:
        return self.place.approx_lng

    lat, lng = approx_lat, approx_lng

    @property
    def distance_m(self) -> int | None:
        return self.place.distance_m


def public_place(lat: float, lng: float, near_point=None) -> PublicPlace:
    """The public position (and, given the caller's point, the public distance) of an object."""
    approx_lat, approx_lng = coarse_point(lat, lng)
    q_lat, q_lng = near_point if near_point is not None else (None, None)
    return PublicPlace(approx_lat, approx_lng, public_distance(lat, lng, q_lat, q_lng))


def _coarse_sql(column):
    return func.floor(column * CELLS_PER_DEG + 0.5) / CELLS_PER_DEG


def coarse_sq_distance(lat_col, lng_col, lat: float, lng: float):
    """Squared metres between the rows' coarse positions and the caller's coarse point, as a
    portable SQL expression (the same arithmetic as public_distance, before rounding)."""
    q_lat, q_lng = coarse_point(lat, lng)
    dy = (_coarse_sql(lat_col) - q_lat) * M_PER_DEG
    dx = (_coarse_sql(lng_col) - q_lng) * m_per_deg_lng(q_lat)
    return dy * dy + dx * dx


def near(query, lat_col, lng_col, lat: float, lng: float, radius_m: int | None, *tie_breakers):
    """Rows whose coarse position lies within radius_m of the caller's coarse point, nearest
    first (ties by tie_breakers, e.g. the id — never by the exact position)."""
    radius = (radius_m or DEFAULT_RADIUS_M) // DISTANCE_STEP_M * DISTANCE_STEP_M
    # Filter on the rounded public distance, so the yes/no of a radius agrees with distance_m.
    limit = (radius + DISTANCE_STEP_M / 2) ** 2
    sq = coarse_sq_distance(lat_col, lng_col, lat, lng)
    return query.where(sq < limit).order_by(sq, *tie_breakers)
