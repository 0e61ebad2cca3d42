"""What every CRM admin screen shares: the role-grant permission policy, listings whose exports are
neutralised, create/edit views that save through a service, and the base viewset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from crm.admin.cells import Column, TitleColumn
from crm.admin.forms import ServiceForm
from crm.exports import neutralise
from crm.fiscal import fiscal_year_of, fy_label
from crm.selectors.fields import visible_columns
from crm.services.exports import export_file
from crm.services.referrals import StaleEdit

SOURCE = "admin"


class CrmPermissionPolicy(ModelPermissionPolicy):
    """The role grants, minus actions the admin never offers for this model (e.g. delete)."""

    def __init__(self, model, *, refused: tuple[str, ...] = ("delete",)):
        super().__init__(model)
        self.refused = frozenset(refused)

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self.refused]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


def register_policies(*viewsets: type[ModelViewSet], refused: tuple[str, ...] = ("delete",)):
    """Register the role-grant policy of each viewset's model; call it on import, before Wagtail
    asks the registry (which would otherwise create a fallback policy)."""
    for viewset in viewsets:
        register_permission_policy(
            viewset.model, CrmPermissionPolicy(viewset.model, refused=refused)
        )


def fiscal_year_choices() -> list[tuple[int, str]]:
    latest = fiscal_year_of(dt.date.today()) + 1
    return [(fy, f"FY {fy_label(fy)}") for fy in range(latest, 2015, -1)]


class NeutralisedIndexView(generic.IndexView):
    """A listing whose spreadsheet export passes every cell through crm.exports.neutralise and
    holds only the columns the person may see (crm.selectors.fields).

    A listing with an import kind (`import_kind`) downloads in that kind's import columns, so
    `?export=csv` of a filtered list can be edited and imported again."""

    import_kind: str | None = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.list_export = visible_columns(request.user, self.model, self.list_export)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        if not self.import_kind:
            return super().as_spreadsheet(queryset, spreadsheet_format)
        content, content_type, name = export_file(
            kind=self.import_kind, user=self.request.user, fmt=spreadsheet_format, within=queryset
        )
        response = StreamingHttpResponse(iter([content]), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    # Columns named by a string in list_display render their cells in Python (crm.admin.cells).
    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        return super()._get_title_column(field_name, column_class, **kwargs)

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        return super()._get_custom_column(field_name, column_class, **kwargs)

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field):
        return neutralise(super().get_heading(queryset, field))


class CrmIndexView(NeutralisedIndexView):
    """A neutralised listing that exports display values and names of related records."""

    export_getters: dict[str, Callable] = {}

    def to_row_dict(self, item):
        row = {}
        for field in self.list_export:
            if field in self.export_getters:
                row[field] = self.export_getters[field](item)
            elif callable(getattr(item, f"get_{field}_display", None)):
                row[field] = getattr(item, f"get_{field}_display")()
            else:
                row[field] = multigetattr(item, field)
        return row


def attach_service_errors(form, exc: ValidationError | PermissionDenied) -> None:
    """Show what a service refused on the form, on the field it concerns when the form has it."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or _("You do not have permission to do this."))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class SaveThroughServiceMixin:
    """Create/edit views whose `save_instance` calls a service, in one transaction; what the
    service refuses (ValidationError, PermissionDenied) re-renders the form with its message."""

    def form_valid(self, form):
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()
        except (ValidationError, PermissionDenied) as exc:
            return self.service_refused(form, exc)
        response = self.save_action()
        return self.run_after_hook() or response

    def service_refused(self, form, exc):
        attach_service_errors(form, exc)
        self.produced_error_code = "validation_error"
        # A stale edit says what happened (someone saved first); other refusals the usual banner.
        stale = isinstance(exc, StaleEdit)
        self.produced_error_message = exc.messages[0] if stale else self.get_error_message()
        return self.form_invalid(form)


class CrmCreateView(SaveThroughServiceMixin, generic.CreateView):
    def get_initial(self):
        # Quick actions on the partner page open a form with its partner already chosen.
        initial = super().get_initial()
        partner = self.request.GET.get("partner", "")
        if partner.isdigit():
            initial["partner"] = int(partner)
        return initial

    def save_instance(self):
        return self.form.service_create(actor=self.request.user, source=SOURCE)


class CrmEditView(SaveThroughServiceMixin, generic.EditView):
    def save_instance(self):
        # The form has already written its values onto self.object; the service needs the
        # stored row to compare against, so it gets a fresh copy.
        fresh = self.model._default_manager.get(pk=self.object.pk)
        return self.form.service_update(instance=fresh, actor=self.request.user, source=SOURCE)


class NoDeleteKwargsMixin:
    # These viewsets expose no delete/history/usage/copy routes: writes go through services only.
    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("delete_url_name", "history_url_name", "usage_url_name", "copy_url_name"):
            view_kwargs[name] = None
        return view_kwargs

    def get_urlpatterns(self):
        keep = {"index", "index_results", "add", "edit", "inspect"}
        return [p for p in super().get_urlpatterns() if p.name in keep]


class CrmViewSet(ModelViewSet):
    """Shared setup: service-backed forms, neutralised exports, no copy view, no deletion."""

    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = CrmIndexView
    add_view_class = CrmCreateView
    edit_view_class = CrmEditView
    list_per_page = 50
    form_class: type[ServiceForm]
    export_getters: dict[str, Callable] = {}
    # The import kind whose columns the list downloads in (see NeutralisedIndexView).
    import_kind: str | None = None

    def get_queryset_for_listing(self) -> QuerySet:
        return self.model._default_manager.all()

    def get_form_class(self, for_update=False):
        return self.form_class.for_mode(for_update=for_update)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=self.get_queryset_for_listing(),
            export_getters=self.export_getters,
            import_kind=self.import_kind,
            **kwargs,
        )

    @cached_property
    def export_filename(self):
        return f"{self.model._meta.verbose_name_plural}-{dt.date.today():%Y-%m-%d}".replace(
            " ", "-"
        )
