"""Admin faces for the state's CCSPP work: school needs and assets, the needs gap view and the
progress packs (school, district, county) with their CSV, XLSX and PDF downloads.

Menu "CCSPP progress". Coordinators see and record only their schools; packs follow
`crm.selectors.packs.pack_schools_for`.
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView, View
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from crm.admin.agreements import AgreementViewSet
from crm.admin.base import SOURCE, SaveThroughServiceMixin
from crm.admin.scoping import ScopedEditView, ScopedViewSet
from crm.admin.ux import TitledPageMixin
from crm.fiscal import fiscal_year_of, fy_label
from crm.models import CommunitySchoolGrant, District, SchoolAsset, SchoolNeed
from crm.reports import pack_render
from crm.reports.annual import check_fiscal_year
from crm.reports.render import cell_text
from crm.roles import is_administrator
from crm.selectors.coordination import schools_of
from crm.selectors.packs import gap_table, may_pull_all_packs, pack_schools_for, resolve_pack
from crm.services.ccspp import asset_create, asset_update, need_create, need_update

TEMPLATES = "crm/admin/ccspp/"
YEARS_OFFERED = 6
DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", pack_render.pack_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        pack_render.pack_xlsx,
    ),
    "pdf": ("application/pdf", pack_render.pack_pdf),
}


def _visible(model, user):
    """Administrators and readers without school scope see all; coordinators their schools."""
    rows = model.objects.select_related("school", "school__district", "category")
    if is_administrator(user) or not user.has_perm(f"crm.add_{model._meta.model_name}"):
        return rows
    return rows.filter(school__in=schools_of(user))


def _current_fy() -> int:
    return fiscal_year_of(timezone.localdate())


# --- Needs and assets -------------------------------------------------------------------------


class _SchoolRecordForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools_of(self.for_user)
        if not self.instance.pk:
            self.fields["fiscal_year"].initial = _current_fy()
        self.fields["fiscal_year"].help_text = "The year it ends: 2026 for FY 2025-26."


class NeedForm(_SchoolRecordForm):
    class Meta:
        model = SchoolNeed
        fields = ["school", "fiscal_year", "category", "description", "priority", "source"]


class AssetForm(_SchoolRecordForm):
    class Meta:
        model = SchoolAsset
        fields = ["school", "fiscal_year", "kind", "name", "category", "notes"]


class NeedCreate(SaveThroughServiceMixin, generic.CreateView):
    def save_instance(self):
        return need_create(data=self.form.cleaned_data, actor=self.request.user, source=SOURCE)


class NeedEdit(ScopedEditView):
    def save_instance(self):
        return need_update(
            need=self.stored(), data=self.form.cleaned_data, actor=self.request.user, source=SOURCE
        )


class AssetCreate(SaveThroughServiceMixin, generic.CreateView):
    def save_instance(self):
        return asset_create(data=self.form.cleaned_data, actor=self.request.user, source=SOURCE)


class AssetEdit(ScopedEditView):
    def save_instance(self):
        return asset_update(
            asset=self.stored(), data=self.form.cleaned_data, actor=self.request.user, source=SOURCE
        )


class NeedViewSet(ScopedViewSet):
    model = SchoolNeed
    scope = staticmethod(partial(_visible, SchoolNeed))
    name = "school_need"
    url_prefix = "ccspp/needs"
    icon = "warning"
    menu_label = "Needs"
    add_view_class = NeedCreate
    edit_view_class = NeedEdit
    list_display = ["__str__", "fiscal_year", "priority", "source"]
    list_filter = ["fiscal_year", "priority", "source", "category"]
    search_fields = ["description", "school__name", "category__name"]
    list_export = ["school.name", "fiscal_year", "category.name", "description", "priority"]
    export_filename = "school-needs"

    def get_form_class(self, for_update=False):
        return NeedForm


class AssetViewSet(ScopedViewSet):
    model = SchoolAsset
    scope = staticmethod(partial(_visible, SchoolAsset))
    name = "school_asset"
    url_prefix = "ccspp/assets"
    icon = "pick"
    menu_label = "Assets"
    add_view_class = AssetCreate
    edit_view_class = AssetEdit
    list_display = ["__str__", "fiscal_year", "kind", "category"]
    list_filter = ["fiscal_year", "kind", "category"]
    search_fields = ["name", "notes", "school__name"]
    list_export = ["school.name", "fiscal_year", "kind", "name", "category.name"]
    export_filename = "school-assets"

    def get_form_class(self, for_update=False):
        return AssetForm


# --- Progress packs ---------------------------------------------------------------------------


class PackRequestForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None, required=False, label="School")
    district = forms.ModelChoiceField(queryset=None, required=False, label="District (LEA)")
    fy = forms.ChoiceField(label="Fiscal year")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = pack_schools_for(user).order_by("name")
        if may_pull_all_packs(user):
            self.fields["district"].queryset = District.objects.order_by("name")
            self.fields["district"].help_text = "Leave both empty for the whole county."
        else:
            del self.fields["district"]
        newest = _current_fy()
        self.fields["fy"].choices = [
            (fy_label(y), f"FY {fy_label(y)}") for y in range(newest, newest - YEARS_OFFERED, -1)
        ]
        self.fields["fy"].initial = fy_label(newest - 1)


def _pack_from(request):
    """The pack a GET asks for, or (None, form, error message)."""
    form = PackRequestForm(request.GET or None, user=request.user)
    if not request.GET or not form.is_valid():
        return None, form, None
    school = form.cleaned_data.get("school")
    district = form.cleaned_data.get("district")
    try:
        pack = resolve_pack(
            fiscal_year=check_fiscal_year(form.cleaned_data["fy"]),
            today=timezone.localdate(),
            school_cds=school.cds_code if school else "",
            district_cds=district.cds_code if district else "",
            user=request.user,
        )
    except ValueError as exc:
        return None, form, str(exc)
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    return pack, form, None


class PackReaderMixin:
    """Read-only pages for those who may pull at least one school's pack."""

    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if not pack_schools_for(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PackView(PackReaderMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = TEMPLATES + "pack.html"
    page_title = "CCSPP progress packs"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pack, form, error = _pack_from(self.request)
        context.update(form=form, error=error, pack=pack)
        if pack is not None:
            query = "?" + urlencode(self.request.GET)
            context["title"] = pack_render.pack_title(pack)
            context["tables"] = [
                {
                    "title": t.title,
                    "header": t.header,
                    "rows": [[cell_text(c) for c in row] for row in t.rows],
                    "definitions": t.header == ("Definition",),
                }
                for t in pack_render.pack_tables(pack)
            ]
            context["downloads"] = [
                (fmt.upper(), reverse("ccspp_packs:download", args=[fmt]) + query)
                for fmt in DOWNLOADS
            ]
        return context


class PackDownloadView(PackReaderMixin, View):
    def get(self, request, fmt: str):
        if fmt not in DOWNLOADS:
            return HttpResponse("Unknown format.", status=404, content_type="text/plain")
        pack, form, error = _pack_from(request)
        if pack is None:
            message = error or "Choose a school or district and a fiscal year: " + "; ".join(
                f"{k}: {' '.join(v)}" for k, v in form.errors.items()
            )
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        content_type, renderer = DOWNLOADS[fmt]
        response = HttpResponse(renderer(pack), content_type)
        name = f"ccspp-pack-{pack.code or 'county'}-FY{fy_label(pack.fiscal_year)}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- Needs gap view ---------------------------------------------------------------------------


class GapFilterForm(forms.Form):
    fy = forms.ChoiceField(label="Fiscal year", required=False)
    district = forms.ModelChoiceField(
        queryset=District.objects.none(), required=False, empty_label="Any district"
    )
    cohort = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        newest = _current_fy()
        self.fields["fy"].choices = [
            (str(y), f"FY {fy_label(y)}") for y in range(newest, newest - YEARS_OFFERED, -1)
        ]
        schools = pack_schools_for(user)
        self.fields["district"].queryset = District.objects.filter(
            pk__in=schools.values("district_id")
        ).order_by("name")
        cohorts = (
            CommunitySchoolGrant.objects.values_list("cohort", flat=True).distinct().order_by()
        )
        self.fields["cohort"].choices = [("", "Any")] + [
            (c, f"Cohort {c}") for c in sorted(set(cohorts))
        ]


class GapView(PackReaderMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = TEMPLATES + "gaps.html"
    page_title = "Needs and gaps"
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = GapFilterForm(self.request.GET or None, user=self.request.user)
        fiscal_year, district, cohort = _current_fy(), None, None
        if form.is_bound and form.is_valid():
            fiscal_year = int(form.cleaned_data["fy"] or fiscal_year)
            district = form.cleaned_data["district"]
            cohort = form.cleaned_data["cohort"]
        columns, rows = gap_table(
            fiscal_year=fiscal_year,
            school_ids=pack_schools_for(self.request.user).values("pk"),
            district_id=district.pk if district else None,
            cohort=cohort,
        )
        for row in rows:
            row["cell_list"] = [row["cells"].get(c, "") for c in columns]
        context.update(
            form=form,
            fiscal_year=fy_label(fiscal_year),
            columns=columns,
            rows=rows,
            unmet_total=sum(r["unmet"] for r in rows),
        )
        return context


# --- Menu -------------------------------------------------------------------------------------


class _PackMenuItem(MenuItem):
    def is_shown(self, request):
        return pack_schools_for(request.user).exists()


class PackViewSet(ViewSet):
    name = "ccspp_packs"
    url_prefix = "ccspp/packs"
    icon = "doc-full"
    menu_label = "Progress packs"
    menu_item_class = _PackMenuItem

    def get_urlpatterns(self):
        return [
            path("", PackView.as_view(), name="index"),
            path("download/<str:fmt>/", PackDownloadView.as_view(), name="download"),
        ]


class GapViewSet(ViewSet):
    name = "ccspp_gaps"
    url_prefix = "ccspp/gaps"
    icon = "warning"
    menu_label = "Needs and gaps"
    menu_item_class = _PackMenuItem

    def get_urlpatterns(self):
        return [path("", GapView.as_view(), name="index")]


class CcsppGroup(ViewSetGroup):
    menu_label = "CCSPP progress"
    menu_icon = "doc-full"
    menu_order = 215
    items = (PackViewSet, GapViewSet, NeedViewSet, AssetViewSet, AgreementViewSet)


@hooks.register("register_admin_viewset")
def register_ccspp():
    return CcsppGroup()
