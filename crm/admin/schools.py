"""The "Schools" menu: districts, schools and CCSPP grants, with their filters and the forms
that save through crm.services.schools.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup

from crm.admin.base import CrmViewSet, fiscal_year_choices, register_policies
from crm.admin.forms import ServiceForm
from crm.models import CommunitySchoolGrant, District, School
from crm.models.editable import DISTRICT_FIELDS, GRANT_FIELDS, SCHOOL_FIELDS
from crm.selectors.dashboard import ccspp_grants_in
from crm.services.schools import district_upsert, grant_create, grant_update, school_upsert

# --- forms ------------------------------------------------------------------------------------


class GrantForm(ServiceForm):
    create_only = ("school",)

    class Meta:
        model = CommunitySchoolGrant
        fields = ["school", *GRANT_FIELDS]

    def service_create(self, *, actor, source: str) -> CommunitySchoolGrant:
        return grant_create(**self.scalars(), actor=actor, source=source)

    def service_update(self, *, instance: CommunitySchoolGrant, actor, source: str):
        return grant_update(grant=instance, data=self.scalars(), actor=actor, source=source)


class _CdsCodedForm(ServiceForm):
    """Districts and schools are keyed by CDS code: set when created, never edited."""

    create_only = ("cds_code",)
    upsert = None

    def service_create(self, *, actor, source: str):
        data = self.scalars()
        record, _changed = type(self).upsert(
            cds_code=data.pop("cds_code"), data=data, actor=actor, source=source
        )
        return record

    def service_update(self, *, instance, actor, source: str):
        record, _changed = type(self).upsert(
            cds_code=instance.cds_code, data=self.scalars(), actor=actor, source=source
        )
        return record


class DistrictForm(_CdsCodedForm):
    upsert = staticmethod(district_upsert)

    class Meta:
        model = District
        fields = ["cds_code", *DISTRICT_FIELDS]


class SchoolForm(_CdsCodedForm):
    upsert = staticmethod(school_upsert)

    class Meta:
        model = School
        fields = ["cds_code", *SCHOOL_FIELDS]


# --- filters ----------------------------------------------------------------------------------


class DistrictFilterSet(WagtailFilterSet):
    class Meta:
        model = District
        fields = ["status"]


class SchoolFilterSet(WagtailFilterSet):
    ccspp_in = django_filters.ChoiceFilter(
        label=_("CCSPP-funded in"), choices=fiscal_year_choices, method="funded_in"
    )

    class Meta:
        model = School
        fields = ["district", "charter", "status"]

    def funded_in(self, queryset: QuerySet, name, value):
        return queryset.filter(pk__in=ccspp_grants_in(int(value)).values("school_id"))


class GrantFilterSet(WagtailFilterSet):
    fiscal_year = django_filters.ChoiceFilter(
        label=_("Active in"), choices=fiscal_year_choices, method="active_in"
    )

    class Meta:
        model = CommunitySchoolGrant
        fields = ["grant_type", "cohort", "status"]

    def active_in(self, queryset: QuerySet, name, value):
        fy = int(value)
        return queryset.filter(start_fy__lte=fy, end_fy__gte=fy)


# --- viewsets ---------------------------------------------------------------------------------


class DistrictViewSet(CrmViewSet):
    model = District
    name = "crm_district"
    url_prefix = "crm/districts"
    icon = "site"
    form_class = DistrictForm
    filterset_class = DistrictFilterSet
    search_fields = ["name", "cds_code", "city"]
    list_display = ["name", "cds_code", "district_type", "city", "status"]
    list_export = ["name", "cds_code", "district_type", "street", "city", "zip", "phone"]


class SchoolViewSet(CrmViewSet):
    import_kind = "schools"
    model = School
    name = "crm_school"
    url_prefix = "crm/schools"
    icon = "home"
    form_class = SchoolForm
    filterset_class = SchoolFilterSet
    search_fields = ["name", "cds_code", "city"]
    list_display = ["name", "district", "cds_code", "grades", "city", "status"]
    list_export = ["name", "district", "cds_code", "school_type", "grades", "street", "city", "zip"]

    def get_queryset_for_listing(self):
        return School.objects.select_related("district")


class GrantViewSet(CrmViewSet):
    import_kind = "grants"
    model = CommunitySchoolGrant
    name = "crm_grant"
    url_prefix = "crm/grants"
    icon = "pick"
    form_class = GrantForm
    filterset_class = GrantFilterSet
    search_fields = ["school__name", "school__cds_code"]
    list_display = ["school", "grant_type", "cohort", "amount", "start_date", "end_date", "status"]
    list_export = ["school", "grant_type", "cohort", "amount", "start_date", "end_date", "status"]

    def get_queryset_for_listing(self):
        return CommunitySchoolGrant.objects.select_related("school")


register_policies(DistrictViewSet, SchoolViewSet, GrantViewSet)


class SchoolsGroup(ViewSetGroup):
    menu_label = _("Schools")
    menu_icon = "home"
    menu_order = 120
    items = (DistrictViewSet, SchoolViewSet, GrantViewSet)


@hooks.register("register_admin_viewset")
def register_schools_menu():
    return SchoolsGroup()
