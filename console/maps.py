"""What the console's maps draw (console/static/map.js): communities at their public centres,
tasks and volunteers at COARSE positions only (server/policy/location.py: the centre of a ~1 km
cell, never a home), lines for proposals, and the optional tile layer of CONSOLE_TILE_URL."""
from server.config import settings
from server.policy.location import coarse_point


def community_marks(communities) -> list[dict]:
    return [{"id": c.id, "name": c.name, "lat": c.lat, "lng": c.lng} for c in communities]


def point(ref: str, kind: str, label: str, lat: float, lng: float) -> dict:
    """A task or a volunteer on the map: coarse position, a label, a kind that sets its colour
    (task, unmatched, volunteer)."""
    c_lat, c_lng = coarse_point(lat, lng)
    return {"ref": ref, "kind": kind, "label": label, "lat": c_lat, "lng": c_lng}


def map_data(communities, points=(), links=()) -> dict:
    """The JSON the page embeds for map.js (links: {"from": ref, "to": ref, "status"})."""
    return {"communities": community_marks(communities), "points": list(points),
            "links": list(links), "tiles": settings().console_tile_url}


def volunteer_cells(volunteers) -> list[dict]:
    """Available volunteers as the map shows them to plan with: one mark per ~1 km cell with how
    many live there, no names and no homes."""
    cells: dict[tuple[float, float], int] = {}
    for volunteer in volunteers:
        cell = coarse_point(volunteer.lat, volunteer.lng)
        cells[cell] = cells.get(cell, 0) + 1
    return [{"ref": f"c{n}", "kind": "volunteer", "label": f"{count} 人", "lat": lat, "lng": lng}
            for n, ((lat, lng), count) in enumerate(sorted(cells.items()))]
