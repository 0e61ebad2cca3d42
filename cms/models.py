"""The public site's pages: home with live impact figures, the partner and community-school
directories (routable pages over CRM records), editorial pages, and the editable site chrome."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import Http404, HttpResponseNotAllowed, HttpResponsePermanentRedirect
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from cms.caching import cached
from cms.chrome import site_chrome
from cms.maps import directions_url, map_data
from cms.resource_sheet import resource_sheet_response
from cms.site_urls import absolute, sitemap_entries
from crm.fiscal import fy_label
from crm.models import GrantType, PartnerKind
from crm.selectors.public import (
    DirectoryFilters,
    SchoolFilters,
    public_directory,
    public_impact,
    public_partner_lookup,
    public_partner_sitemap,
    public_school_directory,
    public_school_profile,
    public_school_sitemap,
)
from crm.weblinks import safe_href

FILTER_MAX = 120


def spanish() -> bool:
    return (get_language() or "en").split("-")[0] == "es"


def pick(en: str, es: str) -> str:
    """The Spanish text when the visitor reads Spanish and one was written, else the English."""
    return es if spanish() and es else en


def english_only(en: str, es: str) -> bool:
    """True when a Spanish reader is shown English text because no Spanish was written: the
    page then says so ("Descripción disponible solo en inglés") and marks the text lang="en"."""
    return spanish() and bool(en) and not es


def jsonld(data: dict) -> str:
    # Escapes <, > and & so the JSON cannot close its <script> element.
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _param(request, name: str) -> str:
    return " ".join(request.GET.get(name, "").split())[:FILTER_MAX]


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 6 else 1


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("label"))
    label_es = blocks.CharBlock(label=_("label (Spanish)"), required=False)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or an address"), required=False)

    class Meta:
        icon = "link"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    page = blocks.PageChooserBlock(label=_("page"))

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_to_action.html"


class EditorialBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(form_classname="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])
    image = ImageBlock()
    quote = blocks.BlockQuoteBlock()
    call_to_action = CallToActionBlock()


@register_setting(icon="list-ul")
class SiteChrome(BaseSiteSetting):
    """Navigation and footer, editable in the admin under Settings."""

    nav_links = StreamField(
        [("link", LinkBlock())],
        blank=True,
        verbose_name=_("navigation links"),
        help_text=_("Left empty, the navigation lists the home page's children shown in menus."),
    )
    footer_text = models.TextField(_("footer text"), blank=True)
    footer_text_es = models.TextField(_("footer text (Spanish)"), blank=True)
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("footer links"))

    panels = [
        FieldPanel("nav_links"),
        MultiFieldPanel(
            [FieldPanel("footer_text"), FieldPanel("footer_text_es"), FieldPanel("footer_links")],
            heading=_("Footer"),
        ),
    ]

    class Meta:
        verbose_name = _("navigation and footer")


class ReadOnlyServeMixin:
    """Public pages only answer GET and HEAD; nothing on them accepts a submission."""

    def serve(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().serve(request, *args, **kwargs)


class PublicPage(Page):
    """Fields every public page shares: a Spanish title and a short introduction."""

    title_es = models.CharField(_("title (Spanish)"), max_length=255, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("title_es"),
        FieldPanel("intro"),
        FieldPanel("intro_es"),
    ]

    class Meta:
        abstract = True

    @property
    def display_title(self) -> str:
        return pick(self.title, self.title_es)

    def get_sitemap_urls(self, request=None):
        return sitemap_entries(
            request, self.get_url(request), lastmod=self.last_published_at or None
        )

    @property
    def display_intro(self) -> str:
        return pick(self.intro, self.intro_es)


class HomePage(ReadOnlyServeMixin, PublicPage):
    body = StreamField(EditorialBlock(), blank=True, verbose_name=_("body"))
    body_es = StreamField(EditorialBlock(), blank=True, verbose_name=_("body (Spanish)"))

    content_panels = [*PublicPage.content_panels, FieldPanel("body"), FieldPanel("body_es")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["impact"] = impact = cached("impact", "", public_impact)
        context["fy_label"] = fy_label(impact["fiscal_year"])
        context["partners_url"] = site_chrome(request)["partners_url"]
        context["body_blocks"] = self.body_es if spanish() and self.body_es else self.body
        return context


class StandardPage(ReadOnlyServeMixin, PublicPage):
    body = StreamField(EditorialBlock(), blank=True, verbose_name=_("body"))
    body_es = StreamField(EditorialBlock(), blank=True, verbose_name=_("body (Spanish)"))

    content_panels = [*PublicPage.content_panels, FieldPanel("body"), FieldPanel("body_es")]

    class Meta:
        verbose_name = _("editorial page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["body_blocks"] = self.body_es if spanish() and self.body_es else self.body
        return context


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
            q=_param(request, "q"),
            category=_param(request, "category"),
            kind=_param(request, "kind"),
            district=_param(request, "district"),
            school=_param(request, "school"),
            focus=_param(request, "focus"),
            page=_page_number(request),
        )
        per_page = self.per_page or 20
        result = cached(
            "directory",
            f"{self.pk}:{per_page}:{filters.cache_key()}",
            lambda: public_directory(filters, per_page=per_page),
        )
        kinds = dict(PartnerKind.choices)
        rows = [
            {
                **row,
                "kind_label": kinds.get(row["kind"], ""),
                "summary": Truncator(pick(row["description"], row["description_es"])).words(30),
                "summary_english_only": english_only(row["description"], row["description_es"]),
                "category_names": [pick(en, es) for en, es in row["categories"]],
                "reasons": _reason_text(row.get("reasons", [])),
            }
            for row in result.rows
        ]
        options = result.options
        return self.render(
            request,
            context_overrides={
                "result": result,
                "rows": rows,
                "filters": filters,
                "categories": [(slug, pick(en, es)) for slug, en, es in options["categories"]],
                "groups": [(slug, pick(en, es)) for slug, en, es in options["groups"]],
                "districts": options["districts"],
                "schools": options["schools"],
                "kinds": options["kinds"],
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
                "schools_url": site_chrome(request)["schools_url"],
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


class SchoolDirectoryPage(ReadOnlyServeMixin, RoutablePageMixin, PublicPage):
    """Community schools by district, with a map; each school lives at <directory>/<slug>/."""

    content_panels = PublicPage.content_panels
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("community school directory")

    @path("", name="schools")
    def schools(self, request):
        filters = SchoolFilters(
            district=_param(request, "district"),
            grant_type=_param(request, "grant_type"),
            cohort=_param(request, "cohort"),
            period="any" if _param(request, "period") == "any" else "",
        )
        result = cached("schools", filters.cache_key(), lambda: public_school_directory(filters))
        grant_labels = dict(GrantType.choices)
        return self.render(
            request,
            context_overrides={
                "filters": filters,
                "fy_label": fy_label(result["fiscal_year"]),
                "schools": result["schools"],
                "districts": result["districts"],
                "cohorts": result["cohorts"],
                "grant_types": [(g, grant_labels.get(g, g)) for g in result["grant_types"]],
                "map": map_data(result["schools"], base_url=self.get_url(request)),
            },
        )

    @path("<slug:slug>/", name="school")
    def school(self, request, slug):
        profile = cached("school", slug, lambda: public_school_profile(slug))
        if profile is None:
            raise Http404(_("No school has this address."))
        school = profile["school"]
        return self.render(
            request,
            template="cms/school_profile.html",
            context_overrides={
                **profile,
                "school_description": pick(school.description, school.description_es),
                "school_description_english_only": english_only(
                    school.description, school.description_es
                ),
                "help_by_service": help_by_service(profile["partners"]),
                "sheet_url": self.school_url(request, school.slug) + "resource-sheet/",
                "map": map_data(
                    profile["neighbours"],
                    base_url=self.get_url(request),
                    current_slug=school.slug,
                    outline=school.district.boundary,
                ),
                "directions_url": directions_url(school),
                "partners_url": site_chrome(request)["partners_url"],
            },
        )

    @path("<slug:slug>/resource-sheet/", name="resource_sheet")
    def resource_sheet(self, request, slug):
        profile = cached("school", slug, lambda: public_school_profile(slug))
        if profile is None:
            raise Http404(_("No school has this address."))
        return resource_sheet_response(
            profile["school"],
            help_by_service(profile["partners"]),
            language="es" if spanish() else "en",
            page_url=absolute(request, self.get_url(request) + profile["school"].slug + "/"),
        )

    def school_url(self, request, slug: str) -> str:
        return self.get_url(request) + self.reverse_subpage("school", kwargs={"slug": slug})

    def get_sitemap_urls(self, request=None):
        base = self.get_url(request)
        urls = super().get_sitemap_urls(request)
        for slug in public_school_sitemap():
            urls.extend(sitemap_entries(request, f"{base}{slug}/"))
        return urls


def _reason_text(reasons) -> str:
    """Why a search result matched, in the reader's language: "name, service: Food"."""
    kinds = {
        "name": _("name"),
        "service": _("service"),
        "group": _("focus group"),
        "description": _("description"),
    }
    parts = []
    for reason in reasons:
        label = pick(reason.label, reason.label_es)
        parts.append(f"{kinds[reason.kind]}: {label}" if label else str(kinds[reason.kind]))
    return ", ".join(dict.fromkeys(parts))


def help_by_service(partners) -> list[tuple[str, list]]:
    """Partners grouped under each service they offer, in the reader's language; a partner with
    several services appears under each, one without any under "Other help"."""
    groups: dict[str, list] = {}
    for partner in partners:
        names = [pick(c.name, c.name_es) for c in partner.service_categories.all()]
        for name in names or [str(_("Other help"))]:
            groups.setdefault(name, []).append(partner)
    other = str(_("Other help"))
    return sorted(groups.items(), key=lambda item: (item[0] == other, item[0].casefold()))


def _page_window(page: int, pages: int, *, width: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and a window around the current one; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
