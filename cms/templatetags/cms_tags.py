"""Template helpers for the public site: navigation, language links, suppressed counts, and the
one-pass builders for long lists (filter options, school lists, map JSON)."""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.chrome import site_chrome as chrome_for

register = template.Library()


@register.filter
def public_number(count) -> str:
    """A PublicCount as text: the number, or "fewer than 11" when it is suppressed."""
    if count is None or getattr(count, "value", None) is None:
        return _("fewer than 11")
    return number_format(count.value, force_grouping=True)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The same page in every language the site speaks, for the language switch."""
    request = context["request"]
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    path = request.get_full_path()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def site_chrome(context) -> dict:
    """Navigation and footer from the admin setting, with the current page marked."""
    request = context["request"]
    chrome = dict(chrome_for(request))
    current = request.path
    chrome["nav"] = [
        {
            **link,
            "current": current == link["url"]
            or (link["url"] != chrome["home_url"] and current.startswith(link["url"])),
        }
        for link in chrome["nav"]
    ]
    return chrome


@register.simple_tag
def select_options(choices, selected) -> str:
    """<option> elements for (value, label) pairs, with the selected value's marked. A directory
    filter can list hundreds of schools, so the list's HTML is built once per distinct content
    and the selection is marked in the built text."""
    html = _options_html(tuple(map(tuple, choices)), get_language() or "")
    selected = str(selected or "")
    if not selected:
        return mark_safe(html)
    # Values and labels are escaped, so this only matches options whose value is the selected.
    plain = f'<option value="{escape(selected)}">'
    return mark_safe(html.replace(plain, plain[:-1] + " selected>"))


@lru_cache(maxsize=32)
def _options_html(choices: tuple, language: str) -> str:
    """The options' HTML, keyed on their content (and the language lazy labels translate to), so
    it is never stale: the same choices give the same text. Built with the standard library's
    escape in one loop, which at that size is far faster than per-element format_html."""
    return "".join(
        f'<option value="{escape(str(value))}">{escape(str(label))}</option>'
        for value, label in choices
    )


@register.simple_tag
def partner_cards(rows, base_url) -> str:
    """The partner directory's result cards, built in one loop for the same reason as
    select_options: twenty cards of six fields cost the template engine more than the rest of
    the page. Every value is escaped; the markup is the card template's."""
    base = escape(str(base_url))
    english_only = escape(_("Description available in English only"))
    services = escape(_("Services"))
    matched_on = escape(_("Matched on %(why)s"))
    cards = []
    for row in rows:
        city = f" · {escape(str(row['city']))}" if row["city"] else ""
        card = [
            f'<li class="card partner-card"><h3><a href="{base}{escape(str(row["slug"]))}/">'
            f"{escape(str(row['name']))}</a></h3>"
            f'<p class="meta">{escape(str(row["kind_label"]))}{city}</p>'
        ]
        if row["reasons"]:
            why = matched_on % {"why": escape(str(row["reasons"]))}
            card.append(f'<p class="match-reason">{why}</p>')
        if row["summary"]:
            summary = escape(str(row["summary"]))
            if row["summary_english_only"]:
                card.append(f'<p class="translation-note">{english_only}</p>')
                card.append(f'<p lang="en">{summary}</p>')
            else:
                card.append(f"<p>{summary}</p>")
        if row["category_names"]:
            tags = "".join(f"<li>{escape(str(name))}</li>" for name in row["category_names"])
            card.append(f'<ul class="tags" aria-label="{services}">{tags}</ul>')
        card.append("</li>")
        cards.append("".join(card))
    return mark_safe("".join(cards))


@register.filter
def json_script_fast(value, element_id: str) -> str:
    """Django's json_script, with the same output: <, > and & escaped with str.replace, which
    on a map's tens of kilobytes is a hundred times faster than json_script's str.translate
    (that falls off CPython's fast path as soon as the text holds one of them)."""
    text = json.dumps(value, cls=DjangoJSONEncoder)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )


@register.simple_tag
def school_groups(schools, base_url) -> list[tuple[str, str]]:
    """(district name, its schools' <li> elements) for schools ordered by district, built in one
    loop for the same reason as select_options: the directory lists hundreds of schools."""
    base = escape(str(base_url))
    groups: list[tuple[str, list[str]]] = []
    for school in schools:
        if not groups or groups[-1][0] != school.district:
            groups.append((school.district, []))
        city = f' <span class="muted">· {escape(school.city)}</span>' if school.city else ""
        groups[-1][1].append(
            f'<li><a href="{base}{escape(school.slug)}/">{escape(school.name)}</a>{city}</li>'
        )
    return [(district, mark_safe("".join(items))) for district, items in groups]


@register.simple_tag(takes_context=True)
def site_base(context) -> str:
    """The public site's base address (PUBLIC_SITE_URL, else the request's)."""
    from cms.site_urls import base_url

    return base_url(context.get("request"))
