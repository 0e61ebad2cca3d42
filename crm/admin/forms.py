"""The base of every CRM admin form: it validates input, then hands it to a crm service to write.

A form never saves itself. `service_create` / `service_update` call the service with the actor
and channel, so the admin keeps every rule (duplicates, permissions, audit) the other faces keep.
Each area's forms live beside its viewsets (partner_forms.py, schools.py, reference.py, ...).
"""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from crm.admin.choosers import partner_picker, school_picker
from crm.models import Partner
from crm.selectors.staff import staff_name


class ServiceForm(WagtailAdminModelForm):
    """Base of every CRM admin form; subclasses add `service_create` and `service_update`.

    `m2m` names the many-to-many fields, `create_only` the fields offered only when creating,
    `edit_only` those offered only when editing.
    """

    m2m: tuple[str, ...] = ()
    create_only: tuple[str, ...] = ()
    edit_only: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "partner" in self.fields:
            # A merged-away record is read-only: nothing new may point at it.
            self.fields["partner"].queryset = Partner.objects.live()
            self.fields["partner"].widget = partner_picker()
        if isinstance(self.fields.get("school"), forms.ModelChoiceField):
            self.fields["school"].widget = school_picker()
        for name in ("lead_staff", "staff"):
            if isinstance(self.fields.get(name), forms.ModelChoiceField):
                self.fields[name].label_from_instance = staff_name

    def scalars(self, *, exclude: tuple[str, ...] = ()) -> dict:
        skip = set(self.m2m) | set(exclude)
        return {
            k: v for k, v in self.cleaned_data.items() if k in self._meta.fields and k not in skip
        }

    def relations(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.m2m if k in self.cleaned_data}

    @classmethod
    def for_mode(cls, *, for_update: bool) -> type[ServiceForm]:
        """The variant of this form for the create view or the edit view."""
        dropped = set(cls.create_only if for_update else cls.edit_only)
        meta = type(
            "Meta", (cls.Meta,), {"fields": [f for f in cls.Meta.fields if f not in dropped]}
        )
        attrs = {"Meta": meta, **{name: None for name in dropped if name in cls.declared_fields}}
        suffix = "Edit" if for_update else "Create"
        return type(f"{cls.__name__}{suffix}", (cls,), attrs)
