"""The server-side school map: points inside the picture, north up, a lone school centred."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from cms.maps import HEIGHT, PAD, WIDTH, school_points


def school(slug, lat, lon):
    return SimpleNamespace(
        name=slug.title(),
        slug=slug,
        latitude=None if lat is None else Decimal(str(lat)),
        longitude=None if lon is None else Decimal(str(lon)),
    )


def test_points_stay_inside_with_north_up_and_the_current_school_marked():
    schools = [
        school("north", 34.60, -118.20),
        school("south", 33.70, -118.20),
        school("west", 34.00, -118.90),
        school("nowhere", None, None),
    ]
    points = {p.slug: p for p in school_points(schools, current_slug="west")}
    assert set(points) == {"north", "south", "west"}
    for p in points.values():
        assert PAD - 0.1 <= p.x <= WIDTH - PAD + 0.1
        assert PAD - 0.1 <= p.y <= HEIGHT - PAD + 0.1
    assert points["north"].y < points["south"].y
    assert points["west"].x < points["north"].x
    assert points["west"].current and not points["north"].current


@pytest.mark.parametrize("schools", [[], [school("nowhere", None, None)]])
def test_no_coordinates_means_no_map(schools):
    assert school_points(schools) == []


def test_a_lone_school_is_centred():
    (point,) = school_points([school("only", 34.05, -118.24)])
    assert (point.x, point.y) == (WIDTH / 2, HEIGHT / 2)
