"""The listing cells of crm.admin.cells write the markup Wagtail's templates write (on hostile
values, and on the real partner listing for each persona), and leave to Wagtail what they
cannot vouch for: another template, an overridden template, a button they do not know."""

from __future__ import annotations

import copy
import datetime as dt
import re
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.template.backends.django import Template
from django.test import override_settings
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy
from wagtail.admin.ui import tables
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import button as buttons

from crm.admin import cells
from tests.factories import make_district, make_focus_group, make_partner, make_service_category
from tests.hostile import assert_html_safe

HOSTILE = "<script>alert(1)</script> & \"Co\" 'x'"
CONTEXT = {"row": None, "table": None, "request": None}


def _squash(html: str) -> str:
    # parse_html ignores whitespace between an icon and its label; a browser shows it. Squashed,
    # both renderings must also agree on where a space is (a run of them counts as one).
    return re.sub(r"\s+>", ">", re.sub(r"\s+", " ", html)).strip()


def assert_same_markup(fast: str, wagtail: str) -> None:
    assert parse_html(fast) == parse_html(wagtail)
    assert _squash(fast) == _squash(wagtail)


@contextmanager
def templates_rendered():
    """The names of the templates rendered inside the block."""
    names = []
    render = Template.render

    def spy(self, *args, **kwargs):
        names.append(self.origin.template_name)
        return render(self, *args, **kwargs)

    with mock.patch.object(Template, "render", spy):
        yield names


def assert_parity(column, instance) -> str:
    """The fast cell, written without a template, is the cell Wagtail's template renders."""
    with templates_rendered() as rendered:
        fast = column.render_cell_html(instance, CONTEXT)
    assert rendered == [], "the fast cell fell back to a template"
    assert_same_markup(fast, tables.BaseColumn.render_cell_html(column, instance, CONTEXT))
    return fast


class Named:
    """A related record whose name is markup."""

    def __str__(self):
        return HOSTILE


PLAIN_VALUES = [
    HOSTILE,
    None,
    "",
    "   ",
    0,
    1234567,
    Decimal("1234.50"),
    3.5,
    True,
    False,
    dt.date(2025, 1, 31),
    dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.UTC),
    gettext_lazy("Active"),
    format_html("<b>{}</b>", HOSTILE),
    Named(),
    ["<i>", "&"],
    ("a", "<b>"),
]


@pytest.mark.parametrize("classname", [None, "", 'w-x "q" <b>'])
@pytest.mark.parametrize("value", PLAIN_VALUES, ids=repr)
def test_a_plain_cell_is_wagtails(value, classname):
    column = cells.Column("value", classname=classname)
    assert "<script>" not in assert_parity(column, SimpleNamespace(value=value))


@pytest.mark.parametrize("value", [True, False, None, 1, 0, "", "no"], ids=repr)
def test_a_boolean_cell_is_wagtails(value):
    assert_parity(cells.BooleanColumn("value"), SimpleNamespace(value=value))


@pytest.mark.django_db
@pytest.mark.parametrize("names", [[], ["Plain"], [HOSTILE, "<b>Food</b> & more", 'Arts "x"']])
def test_a_related_objects_cell_is_wagtails(names):
    categories = [make_service_category(name, slug=f"c{i}") for i, name in enumerate(names)]
    partner = make_partner("Any partner", service_categories=categories)
    html = assert_parity(cells.RelatedObjectsColumn("service_categories"), partner)
    assert html.count("<li>") == len(names)
    assert "<script>" not in html


TITLES = {
    "link": {"get_url": lambda obj: "/admin/x/?a=1&b=<2>"},
    "link with id, class and attributes": {
        "get_url": lambda obj: "/admin/x/1/",
        "get_title_id": lambda obj: 'row_"1"_title',
        "link_classname": 'title <b>"',
        "link_attrs": {"data-x": '"q" & <b>', "hidden": True, "dropped": False, "data-n": 3},
        "classname": "wide <i>",
    },
    "label": {"label_prefix": "select<b>", "get_title_id": lambda obj: "t1"},
    "neither": {},
}


@pytest.mark.parametrize("value", [HOSTILE, "", None, 42], ids=repr)
@pytest.mark.parametrize("options", TITLES.values(), ids=TITLES.keys())
def test_a_title_cell_is_wagtails(value, options):
    column = cells.TitleColumn("value", **options)
    assert_parity(column, SimpleNamespace(value=value, pk=7))


def _hidden(button):
    button.show = False
    return button


def _row_buttons():
    edit = buttons.Button(HOSTILE, url="/edit/?a=1&b=2", icon_name="edit", priority=10)
    return {
        "none": [],
        "all hidden": [_hidden(buttons.Button("Gone", url="/gone/"))],
        "plain, listing, header and a form button": [
            edit,
            buttons.Button("No url <b>", icon_name="cog", attrs={"data-x": '"q"'}),
            buttons.ListingButton("Listing", url="/l/", classname="extra"),
            buttons.HeaderButton(HOSTILE, url="/h/", icon_name="plus", icon_only=True),
            _hidden(buttons.Button("Hidden", url="/hidden/")),
        ],
        "the listing's more-options dropdown": [
            buttons.ButtonWithDropdown(
                buttons=[
                    buttons.Button("Z", url="/z/", priority=30),
                    buttons.Button(HOSTILE, url="/h/?x=<1>", icon_name="info-circle", priority=5),
                    buttons.Button("A", url="/a/", priority=30, attrs={"rel": '"x"'}),
                    buttons.Button("No url", priority=1),
                ],
                icon_name="dots-horizontal",
                attrs={"aria-label": f"More options for '{HOSTILE}'", "data-x": "<y>"},
            )
        ],
        "a labelled dropdown holding a dropdown": [
            buttons.ButtonWithDropdown(
                label=HOSTILE,
                classname='toggle "x"',
                buttons=[
                    buttons.ButtonWithDropdown(buttons=[edit], attrs={"aria-label": ""}),
                    edit,
                ],
            ),
            edit,
        ],
    }


def _with_buttons(row_buttons, column_class=cells.TitleColumn, **options):
    cls = type("TitleColumn", (tables.ButtonsColumnMixin, column_class), {"buttons": row_buttons})
    return cls("value", get_url=lambda obj: "/admin/x/1/", **options)


@pytest.mark.parametrize("case", _row_buttons().keys())
def test_a_title_cell_with_buttons_is_wagtails(case):
    assert_parity(_with_buttons(_row_buttons()[case]), SimpleNamespace(value=HOSTILE))


# --- what is left to Wagtail --------------------------------------------------------------------


class OddButton(Component):
    show = True

    def render_html(self, parent_context=None):
        return format_html("<b>{}</b>", "odd")


class MyButton(buttons.Button):
    pass


def _templates(extra: dict, **options) -> override_settings:
    """The project's template settings with `extra` templates found first, and `options`."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", extra),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    templates[0]["OPTIONS"].update(options)
    return override_settings(TEMPLATES=templates)


class DateCells(cells.Column):
    cell_template_name = "wagtailadmin/tables/date_cell.html"


def _date_cells_instance():
    column = cells.Column("value")
    column.cell_template_name = "wagtailadmin/tables/date_cell.html"
    return column


def _renamed_template(button):
    button.template_name = "crm_tests/odd_button.html"
    return button


class Shout:
    """A value the template calls (and the fast cell would not)."""

    def __call__(self):
        return "called <b>"


def _shouting_booleans():
    column = cells.BooleanColumn("value")
    column.get_value = lambda instance: Shout()
    return column


ODD_BUTTON = {"crm_tests/odd_button.html": '<a class="odd">{{ button.label }}</a>'}
# case: (the column, what shows that the template rendered it, templates, engine options)
FALLBACKS = {
    "a subclass with another template": (lambda: DateCells("value"), "data-w-tooltip", {}, {}),
    "an instance with another template": (_date_cells_instance, "data-w-tooltip", {}, {}),
    "a project override of the cell template": (
        lambda: cells.Column("value"),
        "overridden",
        {"wagtailadmin/tables/cell.html": "<td>overridden {{ value }}</td>"},
        {},
    ),
    "an engine that shows missing variables": (
        lambda: _with_buttons([]),
        'class="title"',
        {},
        {"string_if_invalid": "INVALID"},
    ),
    "a value the template calls": (_shouting_booleans, "called &lt;b&gt;", {}, {}),
    "a component it does not know": (lambda: _with_buttons([OddButton()]), "<b>odd</b>", {}, {}),
    "a Button subclass": (lambda: _with_buttons([MyButton("Mine", url="/m/")]), "Mine", {}, {}),
    "a Button with another template": (
        lambda: _with_buttons([_renamed_template(buttons.Button("Renamed", url="/r/"))]),
        'class="odd"',
        ODD_BUTTON,
        {},
    ),
    "a dropdown holding a button it does not know": (
        lambda: _with_buttons([buttons.ButtonWithDropdown(buttons=[OddButton()])]),
        "<b>odd</b>",
        {},
        {},
    ),
}


@pytest.mark.parametrize("case", FALLBACKS.keys())
def test_what_it_cannot_vouch_for_renders_with_wagtails_templates(case):
    make_column, marker, extra, options = FALLBACKS[case]
    instance = SimpleNamespace(value=dt.datetime(2025, 1, 31, 12, tzinfo=dt.UTC))
    with _templates(extra, **options), templates_rendered() as rendered:
        column = make_column()
        html = column.render_cell_html(instance, CONTEXT)
        assert column.cell_template_name in rendered, "the cell was not rendered by its template"
        assert marker in html
    # Outside the override the project's templates are Wagtail's again: the fast cell is back.
    assert "overridden" not in assert_parity(cells.Column("value"), instance)


# --- the partner listing ------------------------------------------------------------------------


def _listing_table(response) -> str:
    assert response.status_code == 200
    return re.search(r'<table class="listing.*?</table>', response.content.decode(), re.S)[0]


@pytest.fixture
def hostile_partners(world):
    categories = [make_service_category(HOSTILE, slug="h"), make_service_category("<b>F</b>")]
    partner = make_partner(HOSTILE, published=True, service_categories=categories, city=HOSTILE)
    make_partner("Plain partner")
    return partner


@pytest.mark.parametrize(
    ("persona", "actions"),
    [("pat", ["Edit", "Inspect"]), ("lee", ["Inspect"]), ("cora", ["Inspect"])],
)
def test_the_partner_listing_is_the_one_wagtail_renders(
    client, world, hostile_partners, monkeypatch, persona, actions
):
    client.force_login(getattr(world, persona))
    url = reverse("crm_partner:index")
    with templates_rendered() as rendered:
        response = client.get(url)
    fast = _listing_table(response)
    columns = response.context["view"].columns
    assert len([c for c in columns if isinstance(c, cells._FastCell)]) == 7, columns
    # (A title cell holding a button it does not know renders title_cell.html whole.)
    cell_templates = {c.cell_template_name for c in columns if isinstance(c, cells._FastCell)}
    assert len(cell_templates) == 4 and not cell_templates & set(rendered)

    with monkeypatch.context() as m:
        m.setattr(cells._FastCell, "render_cell_html", tables.BaseColumn.render_cell_html)
        wagtail = _listing_table(client.get(url))
    assert_same_markup(fast, wagtail)

    assert_html_safe(fast, persona)
    assert escape(HOSTILE) in fast
    pk = hostile_partners.pk
    urls = {
        "Edit": reverse("crm_partner:edit", args=[pk]),
        "Inspect": reverse("crm_partner:inspect", args=[pk]),
    }
    row = re.search(rf'<tr>(?:(?!</tr>).)*?id="crm_{pk}_title".*?</tr>', fast, re.S)[0]
    menu = re.search(r'class="w-dropdown__content" hidden>(.*?)</div>', row, re.S)[1]
    offered = re.findall(r'<a href="([^"]+)" class=""> <svg[^>]*>.*?</svg> (\w+)', _squash(menu))
    assert offered == [(urls[label], label) for label in actions]
    assert f'<a href="{urls[actions[0]]}">' in row  # the title links to the first action


def _queries(client, url) -> int:
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_partner_listing_queries_do_not_grow_with_its_rows(client, world, hostile_partners):
    client.force_login(world.pat)
    url = reverse("crm_partner:index")
    few = _queries(client, url)
    groups = [make_focus_group("Foster youth"), make_focus_group("Newcomers")]
    districts = [make_district(), make_district()]
    for n in range(5):
        make_partner(
            f"Partner {n}",
            service_categories=[make_service_category(f"Cat {n}")],
            equity_focus_groups=groups,
            districts_served=districts,
            published=bool(n % 2),
        )
    assert _queries(client, url) == few
