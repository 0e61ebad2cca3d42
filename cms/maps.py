"""School maps: the data a Leaflet map needs (markers, the district outline, the tile server),
handed to the page in a json_script element so no inline script is needed. The page always
lists the same schools, which is the map's accessible alternative and its fallback."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings

OUTLINE_TYPES = ("Polygon", "MultiPolygon")


def _outline(geometry) -> dict | None:
    """A GeoJSON Polygon or MultiPolygon as stored, or None for anything else."""
    if isinstance(geometry, dict) and geometry.get("type") in OUTLINE_TYPES:
        coordinates = geometry.get("coordinates")
        if isinstance(coordinates, list) and coordinates:
            return {"type": geometry["type"], "coordinates": coordinates}
    return None


def map_data(schools, *, base_url: str, current_slug: str = "", outline=None) -> dict | None:
    """Markers for the schools that have coordinates, or None when none has any."""
    markers = [
        {
            "name": s.name,
            "lat": float(s.latitude),
            "lon": float(s.longitude),
            "url": f"{base_url}{s.slug}/",
            "current": s.slug == current_slug,
        }
        for s in schools
        if s.latitude is not None and s.longitude is not None
    ]
    if not markers:
        return None
    return {
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "markers": markers,
        "outline": _outline(outline),
    }


def directions_url(school) -> str:
    """A link that plans a route to the school, by coordinates when known, else by address."""
    if school.latitude is not None and school.longitude is not None:
        destination = f"{float(school.latitude):.6f},{float(school.longitude):.6f}"
    else:
        destination = ", ".join(p for p in (school.street, school.city, school.zip) if p)
    if not destination:
        return ""
    return settings.MAP_DIRECTIONS_URL.format(destination=quote(destination, safe=""))
