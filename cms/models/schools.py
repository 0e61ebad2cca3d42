"""The community-school directory page: funded schools by district with a map, each school's page
at <directory>/<slug>/ with the partners serving it, and its printable resource sheet."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from cms.caching import cached
from cms.language import english_only, pick, spanish
from cms.maps import directions_url, map_data
from cms.models.base import PublicPage, ReadOnlyServeMixin, request_param
from cms.resource_sheet import resource_sheet_response
from cms.site_urls import absolute, sitemap_entries
from crm.fiscal import fy_label
from crm.models import GrantType
from crm.selectors.public import (
    SchoolFilters,
    public_school_directory,
    public_school_profile,
    public_school_sitemap,
)


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
            district=request_param(request, "district"),
            grant_type=request_param(request, "grant_type"),
            cohort=request_param(request, "cohort"),
            period="any" if request_param(request, "period") == "any" else "",
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


def help_by_service(partners) -> list[tuple[str, list]]:
    """Partners grouped under each service they offer, in the reader's language; a partner with
    several services appears under each, one without any under "Other help"."""
    groups: dict[str, list] = {}
    other = str(_("Other help"))
    reader_es = spanish()
    for partner in partners:
        names = [pick(name, name_es, reader_es=reader_es) for name, name_es in partner.services]
        for name in names or [other]:
            groups.setdefault(name, []).append(partner)
    return sorted(groups.items(), key=lambda item: (item[0] == other, item[0].casefold()))
