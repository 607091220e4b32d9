"""Geography, once for the whole repository: the equirectangular projection of a city-sized area
onto metres, distances in it, and the inverse (a point some metres away).

At city scale (tens of km) the projection errs well under 1 %, far below what matching or the
public ~1 km grid (server/policy/location.py) cares about. Plain `math` on the scalars, so the
same functions serve floats, NumPy arrays (lat/lng arrays with a scalar reference latitude) and
SQL column expressions (server/policy/location.py builds its radius filter with them).
The matching engine, the web app (server/policy/location.py) and the demo district all use it.
"""
import math

EARTH_M = 6_371_008.8                   # mean Earth radius
M_PER_DEG = EARTH_M * math.pi / 180.0   # metres per degree of latitude (~111.2 km)


def m_per_deg_lng(lat0: float) -> float:
    """Metres per degree of longitude at latitude lat0."""
    return M_PER_DEG * math.cos(math.radians(lat0))


def project(lat, lng, lat0: float):
    """(x east, y north) in metres of a point (or arrays of points) about latitude lat0."""
    return lng * m_per_deg_lng(lat0), lat * M_PER_DEG


def metres_between(lat_a: float, lng_a: float, lat_b: float, lng_b: float) -> float:
    """Straight-line metres between two points, projected about the second one's latitude."""
    kx = m_per_deg_lng(lat_b)
    return math.hypot((lat_a - lat_b) * M_PER_DEG, (lng_a - lng_b) * kx)


def offset(lat, lng, north_m, east_m):
    """The point north_m metres north and east_m metres east of (lat, lng); lat a scalar."""
    return lat + north_m / M_PER_DEG, lng + east_m / m_per_deg_lng(lat)
