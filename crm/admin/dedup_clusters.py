"""Wagtail admin face of a duplicate cluster: several records side by side, merged in one action.

Thin: the cluster is read through crm.selectors.dedup, the merge is crm.services.clusters.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.dedup import (
    COMPARE_FIELDS,
    M2M_ROWS,
    MERGE_PERM,
    REVIEW_PERM,
    SOURCE,
    _label,
    _value,
    display,
)
from crm.selectors.dedup import duplicate_cluster_pairs, partners_with_counts
from crm.services.clusters import partner_merge_cluster
from crm.services.merge import CHOOSABLE_FIELDS


def _empty(value) -> bool:
    return value in ("", None)


class ClusterMergeForm(forms.Form):
    """The record that stays, the records merged into it, and each differing field's winner."""

    survivor = forms.ChoiceField(widget=forms.RadioSelect, label="Record that stays")
    members = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label="Records that are this organization",
        help_text="Untick a record that does not belong; it stays as it is.",
    )

    def __init__(self, *args, partners: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {str(p.pk): p for p in partners}
        choices = [(str(p.pk), f"#{p.pk} {p.name}") for p in partners]
        self.fields["survivor"].choices = choices
        self.fields["survivor"].initial = choices[0][0]
        self.fields["members"].choices = choices
        self.fields["members"].initial = [c[0] for c in choices]
        self.choice_fields = []
        for field in CHOOSABLE_FIELDS:
            options: dict = {}
            for partner in partners:
                options.setdefault(_value(partner, field), partner)
            if len(options) < 2:
                continue
            # Default to the oldest record's value when it is filled in, else the first filled.
            filled = [p for v, p in options.items() if not _empty(v)]
            initial = (filled or list(options.values()))[0]
            self.fields[f"pick_{field}"] = forms.ChoiceField(
                label=_label(field),
                widget=forms.RadioSelect,
                choices=[(str(p.pk), display(p, field)) for p in options.values()],
                initial=str(initial.pk),
                required=False,  # not picked: the value of the record that stays
            )
            self.choice_fields.append(field)

    def clean(self):
        data = super().clean()
        survivor, members = data.get("survivor"), set(data.get("members") or [])
        if survivor and members and survivor not in members:
            raise ValidationError("The record that stays must be one of the records ticked.")
        if members and len(members) < 2:
            raise ValidationError("Tick at least two records to merge.")
        left_out = [
            str(self.fields[f"pick_{f}"].label)
            for f in self.choice_fields
            if data.get(f"pick_{f}") and data[f"pick_{f}"] not in members
        ]
        if members and left_out:
            raise ValidationError(
                f"These values come from a record you left out: {', '.join(left_out)}."
            )
        return data

    def merge_arguments(self) -> dict:
        data = self.cleaned_data
        survivor = self.partners[data["survivor"]]
        others = [self.partners[pk] for pk in data["members"] if pk != data["survivor"]]
        values = {f: int(data[f"pick_{f}"]) for f in self.choice_fields if data.get(f"pick_{f}")}
        return {"survivor": survivor, "others": others, "field_values": values}


class ClusterView(WagtailAdminTemplateMixin, FormView):
    """GET: the cluster side by side (reviewers); POST: merge it (those who may merge)."""

    template_name = "crm/admin/dedup/cluster.html"
    page_title = "Duplicate cluster"
    header_icon = "resubmit"
    form_class = ClusterMergeForm

    def dispatch(self, request, *args, **kwargs):
        perms = (REVIEW_PERM, MERGE_PERM) if request.method == "POST" else (REVIEW_PERM,)
        if not all(request.user.has_perm(p) for p in perms):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def pairs(self) -> list:
        return list(duplicate_cluster_pairs(self.kwargs["key"]))

    @cached_property
    def partners(self) -> list:
        ids = sorted({pk for pair in self.pairs for pk in (pair.left_id, pair.right_id)})
        found = partners_with_counts(ids)
        live = [found[pk] for pk in ids if pk in found and found[pk].merged_into_id is None]
        if len(live) < 2:
            raise Http404("No open cluster with this key.")
        return live

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partners": self.partners}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners, form = self.partners, context["form"]
        context["partners"] = partners
        context["rows"] = [
            {
                "label": _label(field),
                "values": [display(p, field) for p in partners],
                "differs": len({display(p, field) for p in partners}) > 1,
            }
            for field in (*COMPARE_FIELDS, *M2M_ROWS)
        ]
        context["counts"] = [
            {"label": label, "values": [p.related_counts[label] for p in partners]}
            for label in partners[0].related_counts
        ]
        context["pairs"] = self.pairs
        context["choice_rows"] = [form[f"pick_{f}"] for f in form.choice_fields]
        context["can_merge"] = self.request.user.has_perm(MERGE_PERM)
        return context

    def form_valid(self, form):
        try:
            records = partner_merge_cluster(
                **form.merge_arguments(), actor=self.request.user, source=SOURCE
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Merged {len(records)} records into {records[-1].survivor.name}. "
            "Each merge can be undone in the merge history.",
        )
        return redirect("crm_dedup_queue")


@hooks.register("register_admin_urls")
def register_cluster_urls():
    return [
        path("duplicates/clusters/<int:key>/", ClusterView.as_view(), name="crm_dedup_cluster"),
    ]
