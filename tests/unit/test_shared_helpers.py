"""Issue 11, item 4: each shared helper exists once and everything uses that one."""
import ast
import math
import re
from pathlib import Path

import numpy as np

from matching import geo, prep
from server.policy import location

ROOT = Path(__file__).resolve().parents[2]


def _haversine_m(a_lat, a_lng, b_lat, b_lng) -> float:
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lng - a_lng)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * geo.EARTH_M * math.asin(math.sqrt(h))


def test_the_projection_agrees_with_the_sphere_at_city_scale():
    for north, east in ((0, 0), (1200, -300), (-8000, 15000), (25000, 25000)):
        lat, lng = geo.offset(30.25, 120.17, north, east)
        exact = _haversine_m(lat, lng, 30.25, 120.17)
        assert abs(geo.metres_between(lat, lng, 30.25, 120.17) - exact) <= 0.005 * exact + 0.01


def test_offset_inverts_the_projection_for_floats_and_arrays():
    north, east = np.array([0.0, 500.0, -2500.0]), np.array([100.0, -40.0, 9000.0])
    lat, lng = geo.offset(30.0, 120.0, north, east)
    xy = prep.project(lat, lng, 30.0)
    x0, y0 = geo.project(30.0, 120.0, 30.0)
    assert np.allclose(xy[:, 0] - x0, east) and np.allclose(xy[:, 1] - y0, north)


def test_public_positions_use_the_one_earth():
    assert location.M_PER_DEG is geo.M_PER_DEG
    a, b = location.coarse_point(30.25, 120.17), location.coarse_point(30.26, 120.19)
    expected = round(geo.metres_between(*a, *b) / 100) * 100
    assert location.public_distance(30.25, 120.17, 30.26, 120.19) == expected


# A metres-per-degree constant or a cos(radians(...)) projection written again somewhere.
_GEOGRAPHY = re.compile(r"111[_,]?[0-9]{3}|cos\((math\.|np\.)?radians")


def test_no_second_copy_of_the_geography():
    offenders = [f"{path.relative_to(ROOT)}:{n}"
                 for package in ("server", "matching", "jobs", "miniapp_api")
                 for path in sorted((ROOT / package).rglob("*.py")) if path.name != "geo.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if _GEOGRAPHY.search(line)]
    assert not offenders, offenders


def _defined(name: str) -> list[str]:
    """Where a module-level function or constant called `name` is defined in server/."""
    found = []
    for path in sorted((ROOT / "server").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            names = ([node.name] if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else
                     [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)])
            if name in names:
                found.append(str(path.relative_to(ROOT)))
    return found


def test_each_shared_helper_is_defined_once():
    for name in ("TIER_BASE", "check_skills", "_check_skills", "local_text", "_when",
                 "system_only"):
        assert len(_defined(name)) <= 1, (name, _defined(name))
    assert _defined("TIER_BASE") and _defined("check_skills") and _defined("local_text")
