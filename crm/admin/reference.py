"""The "Reference" menu: the vocabularies (service categories, equity focus groups) and, for
administrators, staff profiles and the read-only audit trail.
"""

from __future__ import annotations

from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.base import ViewSetGroup

from crm.admin.base import CrmViewSet, register_policies
from crm.admin.cells import BooleanColumn, RelatedObjectsColumn
from crm.admin.choosers import schools_picker
from crm.admin.forms import ServiceForm
from crm.models import AuditEntry, EquityFocusGroup, ServiceCategory, StaffProfile
from crm.services.vocabulary import staff_profile_save, vocabulary_term_save

# --- forms ------------------------------------------------------------------------------------


VOCABULARY_FIELDS = ["slug", "name", "name_es"]


class VocabularyForm(ServiceForm):
    """A term of a vocabulary; VocabularyViewSet gives it the model."""

    def service_create(self, *, actor, source: str):
        return vocabulary_term_save(
            model=self._meta.model,
            data=self.scalars(),
            actor=actor,
            source=source,
            **self.relations(),
        )

    def service_update(self, *, instance, actor, source: str):
        return vocabulary_term_save(
            model=self._meta.model,
            term=instance,
            data=self.scalars(),
            actor=actor,
            source=source,
            **self.relations(),
        )


class ServiceCategoryForm(VocabularyForm):
    """A service category and the CCSPP pillars its services count under in progress packs."""

    m2m = ("pillars",)

    class Meta:
        model = ServiceCategory
        fields = [*VOCABULARY_FIELDS, "pillars"]
        widgets = {"pillars": forms.CheckboxSelectMultiple}


class StaffProfileForm(ServiceForm):
    m2m = ("schools",)
    create_only = ("user",)

    class Meta:
        model = StaffProfile
        fields = ["user", "slack_user_id", "slack_team_id", "phone", "schools", "wants_digest"]
        widgets = {"schools": schools_picker()}

    def service_create(self, *, actor, source: str) -> StaffProfile:
        data = self.scalars()
        return staff_profile_save(
            user=data.pop("user"),
            data=data,
            schools=self.cleaned_data.get("schools"),
            actor=actor,
            source=source,
        )

    def service_update(self, *, instance: StaffProfile, actor, source: str) -> StaffProfile:
        return staff_profile_save(
            profile=instance,
            data=self.scalars(),
            schools=self.cleaned_data.get("schools"),
            actor=actor,
            source=source,
        )


class AuditEntryForm(WagtailAdminModelForm):
    """The audit trail's viewset needs a form class; its policy refuses every add and change."""

    class Meta:
        model = AuditEntry
        fields = ["action"]


# --- filters ----------------------------------------------------------------------------------


class AuditEntryFilterSet(WagtailFilterSet):
    class Meta:
        model = AuditEntry
        fields = ["channel", "model"]


# --- viewsets ---------------------------------------------------------------------------------


class VocabularyViewSet(CrmViewSet):
    """A list of terms with an English and a Spanish name, saved by vocabulary_term_save."""

    icon = "tag"
    search_fields = ["name", "name_es", "slug"]
    list_display = ["name", "name_es", "slug"]

    @cached_property
    def form_class(self):
        meta = type("Meta", (), {"model": self.model, "fields": VOCABULARY_FIELDS})
        return type(f"{self.model.__name__}Form", (VocabularyForm,), {"Meta": meta})


class ServiceCategoryViewSet(VocabularyViewSet):
    model = ServiceCategory
    name = "crm_servicecategory"
    url_prefix = "crm/service-categories"
    form_class = ServiceCategoryForm
    list_display = [
        "name",
        "name_es",
        "slug",
        RelatedObjectsColumn("pillars", label=_("CCSPP pillars")),
    ]

    def get_queryset_for_listing(self):
        return ServiceCategory.objects.prefetch_related("pillars")


class EquityFocusGroupViewSet(VocabularyViewSet):
    model = EquityFocusGroup
    name = "crm_equityfocusgroup"
    url_prefix = "crm/equity-focus-groups"


class StaffProfileViewSet(CrmViewSet):
    model = StaffProfile
    name = "crm_staffprofile"
    url_prefix = "crm/staff"
    icon = "user"
    form_class = StaffProfileForm
    search_fields = ["user__username", "user__last_name", "slack_user_id"]
    list_display = [
        "__str__",
        "slack_user_id",
        RelatedObjectsColumn("schools", label=_("Assigned schools")),
        BooleanColumn("wants_digest", label=_("Digest")),
    ]

    def get_queryset_for_listing(self):
        return StaffProfile.objects.select_related("user").prefetch_related("schools")


class AuditEntryViewSet(CrmViewSet):
    """The audit trail, read-only: services write it, nobody edits it."""

    model = AuditEntry
    name = "crm_auditentry"
    url_prefix = "crm/audit"
    icon = "history"
    filterset_class = AuditEntryFilterSet
    search_fields = ["object_repr", "action", "object_id"]
    list_display = ["__str__", "actor", "channel", "action", "model", "object_id"]
    list_export = ["at", "actor", "channel", "action", "model", "object_id", "object_repr"]
    inspect_view_fields = ["at", "actor", "channel", "action", "model", "object_id", "changes"]

    def get_queryset_for_listing(self):
        return AuditEntry.objects.select_related("actor")

    def get_form_class(self, for_update=False):
        # Add and edit are refused by the policy; the form only satisfies the viewset's wiring.
        return AuditEntryForm


register_policies(ServiceCategoryViewSet, EquityFocusGroupViewSet, StaffProfileViewSet)
register_policies(AuditEntryViewSet, refused=("add", "change", "delete"))


class ReferenceGroup(ViewSetGroup):
    menu_label = _("Reference")
    menu_icon = "list-ul"
    menu_order = 900
    items = (
        ServiceCategoryViewSet,
        EquityFocusGroupViewSet,
        StaffProfileViewSet,
        AuditEntryViewSet,
    )


@hooks.register("register_admin_viewset")
def register_reference_menu():
    return ReferenceGroup()
