"""School maps drawn on the server as SVG from latitude/longitude: no tile server, no script.
The page always lists the same schools, which is the map's accessible alternative."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 600
HEIGHT = 400
PAD = 24
MIN_SPAN = 0.02


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    name: str
    slug: str
    current: bool


def school_points(schools, *, current_slug: str = "") -> list[MapPoint]:
    """Place schools in a WIDTH x HEIGHT box, keeping the true shape (equirectangular, scaled by
    the cosine of the middle latitude so east-west distances are not stretched)."""
    located = [s for s in schools if s.latitude is not None and s.longitude is not None]
    if not located:
        return []
    lats = [float(s.latitude) for s in located]
    lons = [float(s.longitude) for s in located]
    mid = math.radians((min(lats) + max(lats)) / 2)
    xs = [lon * math.cos(mid) for lon in lons]
    span_x = max(xs) - min(xs)
    span_y = max(lats) - min(lats)
    # A floor on the spans keeps a lone school (or a tight cluster) centred, not in a corner.
    scale = min(
        (WIDTH - 2 * PAD) / max(span_x, MIN_SPAN), (HEIGHT - 2 * PAD) / max(span_y, MIN_SPAN)
    )
    off_x = (WIDTH - scale * span_x) / 2
    off_y = (HEIGHT - scale * span_y) / 2
    return [
        MapPoint(
            x=round(off_x + (x - min(xs)) * scale, 1),
            y=round(off_y + (max(lats) - lat) * scale, 1),
            name=s.name,
            slug=s.slug,
            current=s.slug == current_slug,
        )
        for s, x, lat in zip(located, xs, lats, strict=True)
    ]
