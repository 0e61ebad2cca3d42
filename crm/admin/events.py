"""Community schools › Events: the coordinator's events (workshops, distributions, ...), scoped to
her schools (crm/admin/scoping.py), each saved through crm.services.activity.
"""

from __future__ import annotations

import django_filters
from django import forms
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from crm.admin.base import SOURCE, SaveThroughServiceMixin
from crm.admin.choosers import fit_school_field, partners_picker
from crm.admin.saved_views import SavedViewsIndexMixin
from crm.admin.scoping import (
    PrefilledCreateMixin,
    ScopedEditView,
    ScopedIndexView,
    ScopedViewSet,
    event_permission_policy,
    school_choices,
)
from crm.models import Event, EventKind, Partner
from crm.models.editable import EVENT_FIELDS, fields_with
from crm.selectors.coordination import events_visible_to
from crm.services.activity import event_create, event_update


def event_record(data: dict, *, actor) -> Event:
    """Record an event from a form's cleaned data: whichever of the service's inputs it holds."""
    inputs = (*EVENT_FIELDS, "partners", "pillars")
    return event_create(**{k: data[k] for k in inputs if k in data}, actor=actor, source=SOURCE)


class EventForm(WagtailAdminModelForm):
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        label="Partners present",
        widget=partners_picker(),
    )

    class Meta:
        model = Event
        fields = fields_with(EVENT_FIELDS, after="items_distributed", extra=("pillars",))
        widgets = {"pillars": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fit_school_field(self)
        self.fields["partners"].queryset = Partner.objects.live()
        if self.instance.pk:
            self.fields["partners"].initial = list(
                self.instance.partners.values_list("pk", flat=True)
            )


class EventFilterSet(WagtailFilterSet):
    school = django_filters.ModelChoiceFilter(queryset=school_choices, label="School")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices)
    fiscal_year = django_filters.NumberFilter(label="Fiscal year (ending)")

    class Meta:
        model = Event
        fields = ["school", "kind", "fiscal_year"]


class EventIndexView(SavedViewsIndexMixin, ScopedIndexView):
    saved_list_key = "events"


class EventCreateView(SaveThroughServiceMixin, PrefilledCreateMixin, generic.CreateView):
    today_field = "date"

    def save_instance(self):
        return event_record(self.form.cleaned_data, actor=self.request.user)


class EventEditView(ScopedEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return event_update(
            event=self.stored(),
            data={name: data[name] for name in EVENT_FIELDS},
            partners=data["partners"],
            pillars=data["pillars"],
            actor=self.request.user,
            source=SOURCE,
        )


class EventViewSet(ScopedViewSet):
    model = Event
    scope = staticmethod(events_visible_to)
    permission_policy = event_permission_policy  # scoped by school (crm/admin/scoping.py)
    import_kind = "events"
    name = "event"
    icon = "date"
    menu_label = "Events"
    index_view_class = EventIndexView
    add_view_class = EventCreateView
    edit_view_class = EventEditView
    list_display = ["__str__", "date", "school", "kind", "participants", "items_distributed"]
    filterset_class = EventFilterSet
    search_fields = ["title", "notes", "school__name"]
    list_export = ["date", "school.name", "kind", "title", "participants", "items_distributed"]
    export_headings = {"school.name": "School"}
    export_filename = "events"
    inspect_view_fields = [*EVENT_FIELDS, "recorded_by"]

    def get_form_class(self, for_update=False):
        return EventForm
