"""The public site's one-pass template helpers say what the template tags they replace said:
the same JSON element as Django's json_script, and school lists escaped like autoescape."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.defaultfilters import json_script

from cms.templatetags.cms_tags import json_script_fast, school_groups
from crm.selectors.public.schools import SchoolListing
from tests.hostile import NAMES


@pytest.mark.parametrize("name", NAMES)
def test_map_json_is_djangos_json_script(name):
    value = {"name": name, "lat": 34.05, "attribution": '&copy; <a href="x">OSM</a>', "n": None}
    assert json_script_fast(value, "map-data") == json_script(value, "map-data")


@pytest.mark.parametrize("name", NAMES)
def test_school_list_is_what_the_template_loop_rendered(name):
    schools = [
        SchoolListing(name, "hostile-school", name, None, None, name),
        SchoolListing("Plain School", "plain", "", 34.0, -118.2, name),
        SchoolListing("Other School", "other", "Los Angeles", None, None, "Zeta District"),
    ]
    loop = Template(
        '{% for s in schools %}<li><a href="{{ base_url }}{{ s.slug }}/">{{ s.name }}</a>'
        '{% if s.city %} <span class="muted">· {{ s.city }}</span>{% endif %}</li>{% endfor %}'
    )
    base_url = '/schools/"x/'
    groups = school_groups(schools, base_url)
    assert [district for district, _ in groups] == [name, "Zeta District"]
    for (_, items), members in zip(groups, (schools[:2], schools[2:]), strict=True):
        assert items == loop.render(Context({"schools": members, "base_url": base_url}))


@pytest.mark.parametrize("name", NAMES)
def test_filter_options_are_what_the_one_loop_rendered(name):
    from html import escape

    from cms.templatetags.cms_tags import select_options

    choices = [(name, name), ("plain", "Plain"), (7, name), ("plain", "Again")]
    for selected in (name, "plain", "7", "", "absent"):

        def marked(value, selected=selected):
            return " selected" if str(value) == selected else ""

        expected = "".join(
            f'<option value="{escape(str(v))}"{marked(v)}>{escape(str(label))}</option>'
            for v, label in choices
        )
        assert select_options(choices, selected) == expected
