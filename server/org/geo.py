"""A community boundary: GeoJSON Polygon or MultiPolygon in WGS-84, checked before it is kept."""
MAX_POINTS = 5_000


def geojson_problem(value) -> str | None:
    """None when `value` is a usable boundary, else what is wrong with it (in Chinese)."""
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        return "边界应为 GeoJSON 的 Polygon 或 MultiPolygon"
    polygons = value.get("coordinates")
    if value["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return "边界坐标有误"
    points = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "边界坐标有误"
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return "边界的每个环至少需要 4 个点"
            for point in ring:
                points += 1
                if points > MAX_POINTS or not _point_ok(point):
                    return "边界坐标有误" if points <= MAX_POINTS else "边界的点太多"
    return None


def _point_ok(point) -> bool:
    if not isinstance(point, list) or len(point) != 2:
        return False
    lng, lat = point
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in point)
    return numbers and -180 <= lng <= 180 and -90 <= lat <= 90
