"""School maps: marker data for Leaflet, the district outline, the tile server setting and the
directions link, all handed to the page as JSON (no inline script)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from cms.maps import directions_url, map_data


def school(slug, lat, lon, **extra):
    return SimpleNamespace(
        name=slug.title(),
        slug=slug,
        latitude=None if lat is None else Decimal(str(lat)),
        longitude=None if lon is None else Decimal(str(lon)),
        street=extra.get("street", ""),
        city=extra.get("city", ""),
        zip=extra.get("zip", ""),
    )


SQUARE = {"type": "Polygon", "coordinates": [[[-118.3, 34.0], [-118.2, 34.0], [-118.2, 34.1]]]}


def test_markers_only_for_located_schools_with_the_current_one_marked(settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    schools = [school("north", 34.6, -118.2), school("nowhere", None, None)]
    data = map_data(schools, base_url="/community-schools/", current_slug="north", outline=SQUARE)
    assert data["tiles"]["url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert data["markers"] == [
        {
            "name": "North",
            "lat": 34.6,
            "lon": -118.2,
            "url": "/community-schools/north/",
            "current": True,
        }
    ]
    assert data["outline"] == SQUARE


@pytest.mark.parametrize("outline", [None, {"type": "Point", "coordinates": [1, 2]}, "x", {}])
def test_anything_but_a_polygon_draws_no_outline(outline):
    data = map_data([school("a", 34, -118)], base_url="/", outline=outline)
    assert data["outline"] is None


def test_no_coordinates_means_no_map():
    assert map_data([school("nowhere", None, None)], base_url="/") is None


def test_directions_by_coordinates_or_by_address():
    assert directions_url(school("a", 34.05, -118.24)).endswith("to=34.050000%2C-118.240000")
    by_address = directions_url(school("b", None, None, street="1 Main St", city="Downey"))
    assert by_address.endswith("to=1%20Main%20St%2C%20Downey")
    assert directions_url(school("c", None, None)) == ""


def test_school_page_hands_the_map_to_a_script_file_not_an_inline_script(client, public_world):
    public_world.roosevelt.district.boundary = SQUARE
    public_world.roosevelt.district.save()
    body = client.get(f"/community-schools/{public_world.roosevelt.slug}/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", body, re.S)
    inline = [attrs for attrs, text in scripts if text.strip() and "application/" not in attrs]
    assert inline == []
    assert any("leaflet/leaflet.js" in attrs for attrs, _ in scripts)
    data = json.loads(re.search(r'id="map-data"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert data["outline"]["type"] == "Polygon"
    assert [m["name"] for m in data["markers"] if m["current"]] == [public_world.roosevelt.name]
    assert "Directions to this school" in body
    # The list of schools is the map's alternative on the directory.
    directory = client.get("/community-schools/").content.decode()
    assert public_world.roosevelt.name in re.sub(r"<script.*?</script>", "", directory, flags=re.S)
