"""The partner directory page: published partners with filters and search, and each partner's
profile at <directory>/<slug>/ with its schema.org data."""

from __future__ import annotations

import json
from functools import partial

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from cms.caching import cached
from cms.language import english_only, pick, spanish
from cms.models.base import PublicPage, ReadOnlyServeMixin, request_page_number, request_param
from cms.site_urls import absolute, sitemap_entries
from crm.models import PartnerKind
from crm.selectors.public import (
    DirectoryFilters,
    public_directory,
    public_directory_options,
    public_directory_schools,
    public_partner_lookup,
    public_partner_sitemap,
)
from crm.weblinks import safe_href


def jsonld(data: dict) -> str:
    # Escapes <, > and & so the JSON cannot close its <script> element.
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class PartnerDirectoryPage(ReadOnlyServeMixin, RoutablePageMixin, PublicPage):
    """The directory of published partners; each partner's profile lives at <directory>/<slug>/."""

    per_page = models.PositiveSmallIntegerField(_("partners per page"), default=20)

    content_panels = [*PublicPage.content_panels, FieldPanel("per_page")]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("partner directory")

    @path("", name="directory")
    def directory(self, request):
        filters = DirectoryFilters(
            q=request_param(request, "q"),
            category=request_param(request, "category"),
            kind=request_param(request, "kind"),
            district=request_param(request, "district"),
            school=request_param(request, "school"),
            focus=request_param(request, "focus"),
            page=request_page_number(request),
        )
        per_page = self.per_page or 20
        result = cached(
            "directory",
            f"{self.pk}:{per_page}:{filters.cache_key()}",
            lambda: public_directory(filters, per_page=per_page),
        )
        # The same choices for every page and filter: kept once per data version, not per page.
        options = cached("directory-options", "", public_directory_options)
        # The reader's language, looked up once for the page's hundred or so texts.
        reader_es = spanish()
        choose = partial(pick, reader_es=reader_es)
        kinds = {value: str(label) for value, label in PartnerKind.choices}
        rows = [
            {
                **row,
                "kind_label": kinds.get(row["kind"], ""),
                "summary": Truncator(choose(row["description"], row["description_es"])).words(30),
                "summary_english_only": english_only(
                    row["description"], row["description_es"], reader_es=reader_es
                ),
                "category_names": [choose(en, es) for en, es in row["categories"]],
                "reasons": _reason_text(row.get("reasons", []), reader_es=reader_es),
            }
            for row in result.rows
        ]
        return self.render(
            request,
            context_overrides={
                "result": result,
                "rows": rows,
                "filters": filters,
                "categories": [(slug, choose(en, es)) for slug, en, es in options["categories"]],
                "groups": [(slug, choose(en, es)) for slug, en, es in options["groups"]],
                "districts": options["districts"],
                "schools": cached(
                    "directory-schools",
                    f"{filters.district}|{filters.school}",
                    lambda: public_directory_schools(
                        district=filters.district, school=filters.school
                    ),
                )
                if filters.district or filters.school
                else [],
                "kinds": PartnerKind.choices,
                "page_range": _page_window(result.page, result.pages),
            },
        )

    @path("<slug:slug>/", name="partner")
    def partner(self, request, slug):
        found = cached("partner", slug, lambda: public_partner_lookup(slug))
        if found.redirect_slug:
            return HttpResponsePermanentRedirect(self.partner_url(request, found.redirect_slug))
        if found.partner is None:
            raise Http404(_("No published partner has this address."))
        partner = found.partner
        profile_url = self.partner_url(request, partner.slug, full=True)
        description = pick(partner.description, partner.description_es)
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": partner.name,
            "url": safe_href(partner.website) or profile_url,
            "mainEntityOfPage": profile_url,
        }
        if description:
            data["description"] = description
        if partner.public_email:
            data["email"] = partner.public_email
        if partner.public_phone:
            data["telephone"] = partner.public_phone
        if partner.city:
            data["address"] = {"@type": "PostalAddress", "addressLocality": partner.city}
        districts = [d.name for d in partner.districts_served.all()]
        if districts:
            data["areaServed"] = districts
        return self.render(
            request,
            template="cms/partner_profile.html",
            context_overrides={
                "partner": partner,
                "description": description,
                "description_english_only": english_only(
                    partner.description, partner.description_es
                ),
                "kind_label": dict(PartnerKind.choices).get(partner.kind, ""),
                "categories": [pick(c.name, c.name_es) for c in partner.service_categories.all()],
                "groups": [pick(g.name, g.name_es) for g in partner.equity_focus_groups.all()],
                "website": safe_href(partner.website),
                "profile_url": profile_url,
                "og_description": Truncator(strip_tags(description)).chars(200),
                "jsonld": jsonld(data),
            },
        )

    def partner_url(self, request, slug: str, *, full: bool = False) -> str:
        path = self.get_url(request) + self.reverse_subpage("partner", kwargs={"slug": slug})
        return absolute(request, path) if full else path

    def get_sitemap_urls(self, request=None):
        base = self.get_url(request)
        urls = super().get_sitemap_urls(request)
        for slug, updated_at in public_partner_sitemap():
            urls.extend(sitemap_entries(request, f"{base}{slug}/", lastmod=updated_at))
        return urls


def _reason_text(reasons, *, reader_es: bool | None = None) -> str:
    """Why a search result matched, in the reader's language: "name, service: Food"."""
    kinds = {
        "name": _("name"),
        "service": _("service"),
        "group": _("focus group"),
        "description": _("description"),
    }
    parts = []
    for reason in reasons:
        label = pick(reason.label, reason.label_es, reader_es=reader_es)
        parts.append(f"{kinds[reason.kind]}: {label}" if label else str(kinds[reason.kind]))
    return ", ".join(dict.fromkeys(parts))


def _page_window(page: int, pages: int, *, width: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and a window around the current one; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
