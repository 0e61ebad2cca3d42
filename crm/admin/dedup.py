"""Wagtail admin face of duplicate review: queue, side-by-side compare, merge, history, undo.

Thin views: reads come from crm.selectors.dedup, every write goes through a crm service.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.generic import FormView, TemplateView, View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.admin.ux import TitledPageMixin
from crm.models import DuplicateCandidate, DuplicateScanRun, MergeRecord, Partner
from crm.models.editable import PARTNER_M2M_FIELDS, PARTNER_SCALAR_FIELDS, PARTNER_SERVICE_FIELDS
from crm.selectors.dedup import (
    duplicate_candidate_get,
    duplicate_clusters,
    duplicate_queue,
    merge_history,
    partners_with_counts,
)
from crm.services.dedup import UNDECIDED, duplicate_candidate_dismiss, duplicate_candidate_skip
from crm.services.merge import CHOOSABLE_FIELDS, LOSER, SURVIVOR, partner_merge, partner_merge_undo

REVIEW_PERM = "crm.change_duplicatecandidate"
MERGE_PERM = "crm.merge_partner"
HISTORY_PERM = "crm.view_mergerecord"
SOURCE = "admin"
LEFT, RIGHT = "left", "right"

# Rows of the compare page, in order: the editable fields that tell two partners apart (the
# Spanish text, logo and service details are chosen in the merge form), when each was created,
# then the many-to-many sets by name.
NOT_COMPARED = {"description_es", "logo", *PARTNER_SERVICE_FIELDS}
COMPARE_FIELDS = (*(f for f in PARTNER_SCALAR_FIELDS if f not in NOT_COMPARED), "created_at")
M2M_ROWS = PARTNER_M2M_FIELDS


def display(partner, field: str) -> str:
    """A field's value as a person reads it ('—' when empty)."""
    if field == "aliases":
        value = ", ".join(partner.aliases or [])
    elif field in M2M_ROWS:
        value = ", ".join(str(x) for x in getattr(partner, field).all())
    elif field == "logo":
        value = str(partner.logo) if partner.logo_id else ""
    elif field == "published":
        value = "yes" if partner.published else "no"
    elif field == "created_at":
        value = f"{partner.created_at:%Y-%m-%d}"
    elif hasattr(partner, f"get_{field}_display"):
        value = str(getattr(partner, f"get_{field}_display")())
    else:
        value = str(getattr(partner, field) or "")
    return value or "—"


def _label(field: str) -> str:
    return capfirst(str(Partner._meta.get_field(field).verbose_name))


def _value(partner, field: str):
    attname = "logo_id" if field == "logo" else field
    value = getattr(partner, attname)
    # List fields (languages, eligibility) are compared as values, so they must hash.
    return tuple(value) if isinstance(value, list) else value


class PermMixin:
    """Refuse with 403 unless the user holds every permission in `perms`."""

    perms: tuple[str, ...] = (REVIEW_PERM,)

    def dispatch(self, request, *args, **kwargs):
        if not all(request.user.has_perm(p) for p in self.perms):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CandidateMixin(PermMixin):
    @cached_property
    def candidate(self) -> DuplicateCandidate:
        try:
            return duplicate_candidate_get(self.kwargs["pk"])
        except DuplicateCandidate.DoesNotExist as exc:
            raise Http404("No such pair.") from exc

    def undecided_or_redirect(self):
        if self.candidate.status not in UNDECIDED:
            messages.warning(
                self.request,
                f"This pair was already decided ({self.candidate.get_status_display().lower()}).",
            )
            return redirect("crm_dedup_queue")
        return None


class QueueView(PermMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/dedup/queue.html"
    page_title = "Duplicates"
    header_icon = "resubmit"

    def get_context_data(self, **kwargs):
        page = Paginator(duplicate_queue(), 50).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            page=page,
            clusters=duplicate_clusters(),
            last_run=DuplicateScanRun.objects.order_by("-created_at", "-id").first(),
            can_merge=self.request.user.has_perm(MERGE_PERM),
            can_see_history=self.request.user.has_perm(HISTORY_PERM),
            **kwargs,
        )


class CompareView(CandidateMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/dedup/compare.html"
    page_title = "Compare partners"
    header_icon = "resubmit"

    def get_context_data(self, **kwargs):
        c = self.candidate
        partners = partners_with_counts([c.left_id, c.right_id])
        left, right = partners[c.left_id], partners[c.right_id]
        rows = []
        for field in (*COMPARE_FIELDS, *M2M_ROWS):
            a, b = display(left, field), display(right, field)
            rows.append({"label": _label(field), "left": a, "right": b, "differs": a != b})
        counts = [
            {"label": label, "left": n, "right": right.related_counts[label]}
            for label, n in left.related_counts.items()
        ]
        return super().get_context_data(
            candidate=c,
            left=left,
            right=right,
            rows=rows,
            counts=counts,
            undecided=c.status in UNDECIDED,
            can_merge=self.request.user.has_perm(MERGE_PERM),
            **kwargs,
        )


class MergeForm(forms.Form):
    """Pick the survivor, then for each field that differs, which record's value wins."""

    survivor = forms.ChoiceField(widget=forms.RadioSelect, label="Record that stays")

    def __init__(self, *args, left, right, **kwargs):
        super().__init__(*args, **kwargs)
        self.left, self.right = left, right
        self.fields["survivor"].choices = [
            (LEFT, f"#{left.pk} {left.name}"),
            (RIGHT, f"#{right.pk} {right.name}"),
        ]
        self.fields["survivor"].initial = LEFT
        self.choice_fields = []
        for field in CHOOSABLE_FIELDS:
            a, b = _value(left, field), _value(right, field)
            if a == b:
                continue
            # Default to a value that is filled in, the left (older) one when both are.
            initial = RIGHT if (a in ("", None) and b not in ("", None)) else LEFT
            self.fields[f"pick_{field}"] = forms.ChoiceField(
                label=_label(field),
                widget=forms.RadioSelect,
                choices=[(LEFT, display(left, field)), (RIGHT, display(right, field))],
                initial=initial,
            )
            self.choice_fields.append(field)

    def survivor_and_loser(self):
        if self.cleaned_data["survivor"] == LEFT:
            return self.left, self.right
        return self.right, self.left

    def field_choices(self) -> dict[str, str]:
        side = self.cleaned_data["survivor"]
        return {
            field: SURVIVOR if self.cleaned_data[f"pick_{field}"] == side else LOSER
            for field in self.choice_fields
        }


class MergeView(CandidateMixin, TitledPageMixin, WagtailAdminTemplateMixin, FormView):
    perms = (REVIEW_PERM, MERGE_PERM)
    template_name = "crm/admin/dedup/merge.html"
    page_title = "Merge partners"
    header_icon = "resubmit"
    form_class = MergeForm

    def dispatch(self, request, *args, **kwargs):
        if not all(request.user.has_perm(p) for p in self.perms):
            raise PermissionDenied
        return self.undecided_or_redirect() or super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "left": self.candidate.left,
            "right": self.candidate.right,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(candidate=self.candidate, **kwargs)
        form = context["form"]
        context["choice_rows"] = [form[f"pick_{f}"] for f in form.choice_fields]
        return context

    def form_valid(self, form):
        survivor, loser = form.survivor_and_loser()
        try:
            record = partner_merge(
                survivor=survivor,
                loser=loser,
                field_choices=form.field_choices(),
                actor=self.request.user,
                source=SOURCE,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        merged = (
            f"{loser.name} (#{loser.pk}) into {record.survivor.name} (#{record.survivor.pk})"
            if loser.name == record.survivor.name
            else f"{loser.name} into {record.survivor.name}"
        )
        messages.success(self.request, f"Merged {merged}. You can undo this in the history.")
        return redirect("crm_dedup_queue")


class DecideView(CandidateMixin, View):
    """POST-only actions on a pair: not a duplicate, skip."""

    http_method_names = ["post"]
    service = None  # a staticmethod-wrapped crm service in each subclass
    done = ""

    def post(self, request, *args, **kwargs):
        refused = self.undecided_or_redirect()
        if refused:
            return refused
        c = self.candidate
        try:
            self.service(candidate=c, actor=request.user, source=SOURCE)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return redirect("crm_dedup_compare", pk=c.pk)
        messages.success(request, f"{c.left.name} and {c.right.name}: {self.done}.")
        return redirect("crm_dedup_queue")


class NotDuplicateView(DecideView):
    service = staticmethod(duplicate_candidate_dismiss)
    done = "marked as not a duplicate; this pair will not be shown again"


class SkipView(DecideView):
    service = staticmethod(duplicate_candidate_skip)
    done = "skipped until the next scan"


class HistoryView(PermMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    perms = (HISTORY_PERM,)
    template_name = "crm/admin/dedup/history.html"
    page_title = "Merge history"
    header_icon = "history"

    def get_context_data(self, **kwargs):
        page = Paginator(merge_history(), 50).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            page=page, can_undo=self.request.user.has_perm(MERGE_PERM), **kwargs
        )


class UndoView(PermMixin, TitledPageMixin, WagtailAdminTemplateMixin, TemplateView):
    perms = (MERGE_PERM,)
    template_name = "crm/admin/dedup/undo.html"
    page_title = "Undo merge"
    header_icon = "history"

    @cached_property
    def merge(self) -> MergeRecord:
        try:
            return merge_history().get(pk=self.kwargs["pk"])
        except MergeRecord.DoesNotExist as exc:
            raise Http404("No such merge.") from exc

    def get_context_data(self, **kwargs):
        snap = self.merge.snapshot
        moved = {k: len(v) for k, v in snap.get("moved", {}).items()}
        links = snap.get("event_links", {})
        moved["event links"] = len(links.get("moved", [])) + len(links.get("collided", []))
        return super().get_context_data(
            merge=self.merge, moved=moved, fields=sorted(snap.get("survivor_fields", {})), **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            partner_merge_undo(merge=self.merge, actor=request.user, source=SOURCE)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return redirect("crm_dedup_history")
        messages.success(request, f"Undone: {self.merge.loser.name} is a separate partner again.")
        return redirect("crm_dedup_history")


class DuplicatesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REVIEW_PERM)


@hooks.register("register_admin_urls")
def register_dedup_urls():
    return [
        path("duplicates/", QueueView.as_view(), name="crm_dedup_queue"),
        path("duplicates/<int:pk>/", CompareView.as_view(), name="crm_dedup_compare"),
        path("duplicates/<int:pk>/merge/", MergeView.as_view(), name="crm_dedup_merge"),
        path(
            "duplicates/<int:pk>/not-duplicate/",
            NotDuplicateView.as_view(),
            name="crm_dedup_not_duplicate",
        ),
        path("duplicates/<int:pk>/skip/", SkipView.as_view(), name="crm_dedup_skip"),
        path("duplicates/merges/", HistoryView.as_view(), name="crm_dedup_history"),
        path("duplicates/merges/<int:pk>/undo/", UndoView.as_view(), name="crm_dedup_undo"),
    ]


@hooks.register("register_admin_menu_item")
def register_dedup_menu_item():
    return DuplicatesMenuItem(
        "Duplicates", reverse("crm_dedup_queue"), icon_name="resubmit", order=260
    )
