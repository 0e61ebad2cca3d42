"""Autocomplete pickers instead of selects of hundreds or thousands of options: partners (live
ones, found through the matcher), schools and districts. A picker is a text box that asks a JSON
endpoint here as one types and keeps the choices as chips with hidden inputs (staff.js)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views import View
from wagtail import hooks

from crm.models import Contact, District, Partner, PartnerStatus, School
from crm.roles import is_administrator
from crm.selectors.coordination import schools_of
from crm.selectors.staff_search import in_rank_order, ranked_partner_ids, words_match

SUGGESTIONS = 10


def school_label(school: School) -> str:
    return f"{school.name} ({school.district.name})" if school.district_id else school.name


# kind -> (model, the permission that lets a person pick one, how a choice is labelled)
KINDS: dict[str, tuple[type[Model], str, callable]] = {
    "partners": (Partner, "crm.view_partner", str),
    "schools": (School, "crm.view_school", school_label),
    "districts": (District, "crm.view_district", str),
    "contacts": (Contact, "crm.view_contact", str),
}


def _matches(kind: str, text: str, *, active_only: bool, partner: str = "") -> list[Model]:
    if kind == "partners":
        partners = Partner.objects.live()
        if active_only:
            partners = partners.exclude(status=PartnerStatus.INACTIVE)
        return list(in_rank_order(partners, ranked_partner_ids(text, limit=SUGGESTIONS * 3)))[
            :SUGGESTIONS
        ]
    if kind == "contacts":
        found = Contact.objects.select_related("partner").filter(
            words_match(text, ("name", "email", "role", "partner__name")),
            partner__merged_into__isnull=True,
        )
        if partner.isdigit():
            found = found.filter(partner_id=int(partner))
    elif kind == "schools":
        found = School.objects.select_related("district").filter(
            words_match(text, ("name", "cds_code", "city", "district__name"))
        )
    else:
        found = District.objects.filter(words_match(text, ("name", "cds_code", "city")))
    return list(found.order_by("name", "pk")[:SUGGESTIONS])


class ChooseView(View):
    """[{"id", "name"}] of the records of one kind matching ?q=, for whoever may view them."""

    kind = ""

    def get(self, request):
        model, permission, label = KINDS[self.kind]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        text = request.GET.get("q", "").strip()[:100]
        rows = (
            _matches(
                self.kind,
                text,
                active_only=request.GET.get("active") == "1",
                partner=request.GET.get("partner", ""),
            )
            if len(text) >= 2
            else []
        )
        return JsonResponse({"results": [{"id": row.pk, "name": label(row)} for row in rows]})


@hooks.register("register_admin_urls")
def register_choosers():
    return [
        path(f"choose/{kind}/", ChooseView.as_view(kind=kind), name=f"crm_choose_{kind}")
        for kind in KINDS
    ]


class AutocompleteWidget(forms.Widget):
    """A text box with suggestions; each choice is a chip holding a hidden input of its id.

    `multiple` takes many ids (a many-to-many field), otherwise one (a foreign key).
    """

    template_name = "crm/admin/widgets/autocomplete.html"

    def __init__(
        self,
        kind: str,
        *,
        multiple: bool = False,
        active_only: bool = False,
        partner: int | None = None,
        follows: str = "",
        attrs=None,
    ):
        super().__init__(attrs)
        self.kind = kind
        self.multiple = multiple
        self.active_only = active_only
        self.partner = partner
        # The id of the picker whose choice narrows this one (a contact follows its partner).
        self.follows = follows

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name) or None

    def value_omitted_from_data(self, data, files, name):
        # An empty many-to-many picker posts nothing, which means "none chosen".
        return False if self.multiple else name not in data

    def use_required_attribute(self, initial):
        return False

    def format_value(self, value):
        if value in (None, ""):
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(v.pk if isinstance(v, Model) else v) for v in values if v not in (None, "")]

    def chosen(self, ids: list[str]) -> list[dict]:
        model, _, label = KINDS[self.kind]
        wanted = [int(i) for i in ids if str(i).isdigit()]
        rows = model._default_manager.filter(pk__in=wanted)
        if model is School:
            rows = rows.select_related("district")
        by_id = {row.pk: row for row in rows}
        return [{"id": pk, "label": label(by_id[pk])} for pk in wanted if pk in by_id]

    def url(self) -> str:
        params = {"active": "1" if self.active_only else "", "partner": self.partner or ""}
        query = urlencode({k: v for k, v in params.items() if v})
        url = reverse(f"crm_choose_{self.kind}")
        return f"{url}?{query}" if query else url

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        context = {
            "name": name,
            "id": attrs.get("id", f"id_{name}"),
            "chosen": self.chosen(self.format_value(value)),
            "url": self.url(),
            "multiple": self.multiple,
            "placeholder": "Type a name, then pick it",
            "follows": self.follows,
        }
        return mark_safe(render_to_string(self.template_name, context))  # noqa: S308


def partner_picker(*, active_only: bool = False) -> AutocompleteWidget:
    return AutocompleteWidget("partners", active_only=active_only)


def partners_picker() -> AutocompleteWidget:
    return AutocompleteWidget("partners", multiple=True)


def school_picker() -> AutocompleteWidget:
    return AutocompleteWidget("schools")


def schools_picker() -> AutocompleteWidget:
    return AutocompleteWidget("schools", multiple=True)


def districts_picker() -> AutocompleteWidget:
    return AutocompleteWidget("districts", multiple=True)


def fit_contact_field(form) -> None:
    """A touchpoint form's contact: a picker among the partner's contacts (any live partner's
    while none is chosen yet), offered only to those who may see contacts."""
    if "contact" not in form.fields:
        return
    if not form.for_user or not form.for_user.has_perm("crm.view_contact"):
        del form.fields["contact"]
        return
    partner = form.instance.partner_id if form.instance.pk else form.initial.get("partner")
    contacts = Contact.objects.filter(partner__merged_into__isnull=True)
    form.fields["contact"].queryset = contacts
    form.fields["contact"].widget = AutocompleteWidget(
        "contacts", partner=partner, follows="" if partner else "id_partner"
    )
    form.fields["contact"].help_text = "Whom you spoke with: one of this partner's contacts."


def fit_school_field(form, name: str = "school") -> None:
    """A school field scoped by the one rule: administrators, who may pick any of some two
    thousand schools, type into a picker; coordinators choose among their own few."""
    field = form.fields[name]
    field.queryset = schools_of(form.for_user)
    if is_administrator(form.for_user):
        field.widget = school_picker()
