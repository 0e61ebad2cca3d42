"""Wagtail's listing cells (plain, boolean, related objects, title with its row actions) built in
Python rather than by a template render per cell: Wagtail's context, markup and escaping.
Whatever this module cannot vouch for renders with Wagtail's own templates."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import wagtail
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import yesno
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime
from wagtail.admin.templatetags.wagtailadmin_tags import classnames
from wagtail.admin.ui import tables
from wagtail.admin.widgets import button as buttons

_BUTTON = "wagtailadmin/shared/button.html"
_DROPDOWN = "wagtailadmin/shared/button_with_dropdown.html"
# Every template whose output is reproduced here: the columns' cell templates and these.
_REPRODUCED = [
    *(f"wagtailadmin/shared/{t}.html" for t in ("attrs", "buttons", "dropdown/dropdown", "icon")),
    _BUTTON,
    _DROPDOWN,
]
_BOOLEAN_ICONS = {
    None: ("help", "default"),
    True: ("check", "default w-text-positive-100"),
    False: ("cross", "default w-text-text-error"),
}
# The button classes rendered here; any other, subclasses included, may render differently.
_PLAIN = {buttons.BaseButton, buttons.Button, buttons.ListingButton, buttons.HeaderButton}
_MENU = {buttons.BaseDropdownMenuButton, buttons.ButtonWithDropdown}
_KNOWN = _PLAIN | _MENU


class _Unsure(Exception):
    """Raised while building a cell whose markup might differ from the template's."""


@cache
def _templates_are_wagtails(cell_template: str) -> bool:
    """No project overrides one of the templates, and the engine has the default options."""
    found = [get_template(name) for name in (cell_template, *_REPRODUCED)]
    wagtail_dir = Path(wagtail.__file__).parent
    return all(
        Path(t.origin.name).is_relative_to(wagtail_dir)
        and t.template.engine.autoescape
        and not t.template.engine.string_if_invalid
        for t in found
    )


@receiver(setting_changed)
def _templates_changed(setting, **kwargs):
    if setting == "TEMPLATES":
        _templates_are_wagtails.cache_clear()


def _var(value):
    """`{{ value }}`, as Django's render_value_in_context outputs it."""
    if callable(value):  # the template would call it
        raise _Unsure
    if not isinstance(value, str):  # (localize and template_localtime return text unchanged)
        value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _stringformat(value):
    """`value|stringformat:'s'` (a filter that keeps safe input safe: "%s" % it is itself)."""
    if isinstance(value, SafeData):
        return value
    try:
        return "%s" % (str(value) if isinstance(value, tuple) else value)
    except (TypeError, ValueError):
        return ""


def _join(parts, sep=" ") -> str:
    return mark_safe(sep.join(parts))  # noqa: S308 - each part comes from format_html


def _icon(name, classname=None, title=None):
    """`{% icon %}` (wagtailadmin/shared/icon.html, inside {% spaceless %})."""
    svg = format_html(
        '<svg class="icon icon-{n} {c}" aria-hidden="true"><use href="#icon-{n}"></use></svg>',
        n=_var(name),
        c=_var(classname or "icon"),
    )
    return format_html('{}<span class="w-sr-only"> {} </span>', svg, _var(title)) if title else svg


def _attrs(attrs: dict) -> str:
    """wagtailadmin/shared/attrs.html."""
    if "items" in attrs or any(callable(value) for value in attrs.values()):
        raise _Unsure  # the template would read attrs["items"] or call the value
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", _var(name)))
        elif value is not False:
            parts.append(format_html(' {}="{}"', _var(name), _var(_stringformat(value))))
    return _join(parts, sep="")


def _button(button, parent_context) -> str:
    """`{% component button %}` for the button classes above: button.html, or
    button_with_dropdown.html and the dropdown.html it includes."""
    if type(button) in _PLAIN and button.template_name == _BUTTON:
        button = button.get_context_data(parent_context)["button"]
        return format_html(
            '<{t} {h}class="{c}" {a}> {i} {l} </{t}>',
            t="a" if button.url else "button",
            h=format_html('href="{}" ', _var(button.url)) if button.url else "",
            c=_var(button.classname),
            a=_var(button.base_attrs_string),
            i=_icon(button.icon_name) if button.icon_name else "",
            l=_var(button.label),
        )
    if type(button) in _MENU and button.template_name == _DROPDOWN:
        context = button.get_context_data(parent_context)  # sorts the dropdown's buttons
        label, aria_label = context["label"], context["title"]
        toggle = [yesno(label, ",w-dropdown__toggle--icon"), context["toggle_classname"]]
        return format_html(
            '<div data-controller="w-dropdown" class="w-dropdown" {attrs}>'
            ' <button type="button" class="{cls}" data-w-dropdown-target="toggle"{aria}>'
            " {label} {icon} </button>"
            ' <div data-w-dropdown-target="content" class="w-dropdown__content" hidden>'
            " {children} </div> </div>",
            attrs=_var(context["button"].base_attrs_string),
            cls=conditional_escape(classnames("w-dropdown__toggle", *toggle)),
            aria=format_html(' aria-label="{}"', _var(aria_label)) if aria_label else "",
            label=_var(label),
            icon=_icon(context["icon_name"] or "arrow-down", "w-dropdown__toggle-icon"),
            children=_join(_button(child, context) for child in context["buttons"]),
        )
    raise _Unsure


class _FastCell:
    """A column whose cell `build_cell` writes from Wagtail's context; Wagtail renders it when
    the column has another template, a template is overridden, or `build_cell` is unsure."""

    fast_template: str

    def render_cell_html(self, instance, parent_context):
        fast = self.cell_template_name == self.fast_template
        if not (fast and _templates_are_wagtails(self.fast_template)):
            return super().render_cell_html(instance, parent_context)
        context = self.get_cell_context_data(instance, parent_context)
        try:
            if callable(context["value"]):  # the template would call it
                raise _Unsure
            return self.build_cell(context)
        except _Unsure:  # BaseColumn.render_cell_html, with the context already computed
            return self.cell_template.render(context)

    def td(self, inner) -> str:
        """`<td {% if column.classname %}class="{{ column.classname }}"{% endif %}>`."""
        css = format_html(' class="{}"', _var(self.classname)) if self.classname else ""
        return format_html("<td{}> {} </td>", css, inner)


class Column(_FastCell, tables.Column):
    fast_template = "wagtailadmin/tables/cell.html"

    def build_cell(self, context):
        return self.td("" if context["value"] is None else _var(context["value"]))


class BooleanColumn(_FastCell, tables.BooleanColumn):
    fast_template = "wagtailadmin/tables/boolean_cell.html"

    def build_cell(self, context):
        value = context["value"]
        icon = _BOOLEAN_ICONS[None if value is None else bool(value)]
        return self.td(_icon(*icon, title=_stringformat(value)))


class RelatedObjectsColumn(_FastCell, tables.RelatedObjectsColumn):
    fast_template = "wagtailadmin/tables/related_objects_cell.html"

    def build_cell(self, context):
        if not context["value"]:
            return self.td("")
        items = _join(format_html("<li>{}</li>", _var(item)) for item in context["value"])
        return self.td(format_html("<ul> {} </ul>", items))


class TitleColumn(_FastCell, tables.TitleColumn):
    """The title, as a link or label, and the row's buttons (ButtonsColumnMixin's `buttons`)."""

    fast_template = "wagtailadmin/tables/title_cell.html"

    def build_cell(self, context):
        title = _var(context["value"])
        if context["title_id"]:
            title = format_html('<span id="{}">{}</span>', _var(context["title_id"]), title)
        if context["link_url"]:
            title = format_html("<a{}> {} </a>", _attrs(context["link_attrs"]), title)
        elif context["label_id"]:
            title = format_html('<label for="{}"> {} </label>', _var(context["label_id"]), title)
        actions = ""
        if row_buttons := context.get("buttons"):
            row_buttons = list(row_buttons)  # read twice below
            if any(type(b) not in _KNOWN or callable(b.show) for b in row_buttons):
                raise _Unsure
            items = (
                format_html("<li> {} </li>", _button(b, context)) for b in row_buttons if b.show
            )
            actions = format_html('<ul class="actions"> {} </ul> ', _join(items))
        return format_html(
            '<td class="{}title"> <div class="title-wrapper"> {} </div> {}</td>',
            format_html("{} ", _var(self.classname)) if self.classname else "",
            title,
            actions,
        )
