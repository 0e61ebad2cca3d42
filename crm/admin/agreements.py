"""Admin face for signed partnership agreements: upload, renewal status and private download, in
the "CCSPP progress" menu. The home page's list of those expiring soon is in dashboard.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic

from crm.admin.base import SOURCE, SaveThroughServiceMixin
from crm.admin.reminder_filters import date_range, mine_filter
from crm.admin.scoping import ScopedEditView, ScopedInspectView, ScopedViewSet
from crm.models import Partnership, PartnershipAgreement
from crm.selectors.agreements import agreements_visible_to
from crm.services.agreements import agreement_update, agreement_upload


class AgreementUploadForm(WagtailAdminModelForm):
    class Meta:
        model = PartnershipAgreement
        fields = ["partnership", "kind", "document", "signed_on", "expires_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = Partnership.objects.select_related(
            "partner"
        ).order_by("partner__name", "-start_date")
        self.fields["kind"].choices = [
            c for c in self.fields["kind"].choices if c[0] not in ("", "informal")
        ]
        self.fields["document"].help_text = "The signed PDF or Word (.docx) file."


class AgreementEditForm(WagtailAdminModelForm):
    class Meta:
        model = PartnershipAgreement
        fields = ["kind", "signed_on", "expires_on", "renewal_status"]


class AgreementCreate(SaveThroughServiceMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return agreement_upload(
            partnership=data["partnership"],
            kind=data["kind"],
            document=data["document"],
            signed_on=data["signed_on"],
            expires_on=data["expires_on"],
            actor=self.request.user,
            source=SOURCE,
        )


class AgreementEdit(ScopedEditView):
    def save_instance(self):
        fields = ("kind", "signed_on", "expires_on", "renewal_status")
        return agreement_update(
            agreement=self.stored(),
            data={f: self.form.cleaned_data[f] for f in fields},
            actor=self.request.user,
            source=SOURCE,
        )


class AgreementInspect(ScopedInspectView):
    template_name = "crm/admin/agreement_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["download_url"] = reverse("crm_agreement_download", args=[self.object.pk])
        return context


@require_safe
def agreement_download(request, pk: int):
    """The signed document, as an attachment, to those who may see the partnership."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    agreement = get_object_or_404(agreements_visible_to(request.user), pk=pk)
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=agreement.original_name or "agreement"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class AgreementFilterSet(WagtailFilterSet):
    expires_on = date_range("Expires")
    mine = mine_filter("partnership__lead_staff", "I lead it")

    class Meta:
        model = PartnershipAgreement
        fields = ["kind", "renewal_status"]


class AgreementViewSet(ScopedViewSet):
    model = PartnershipAgreement
    scope = staticmethod(agreements_visible_to)
    name = "crm_agreement"
    url_prefix = "crm/agreements"
    icon = "doc-full-inverse"
    menu_label = "Agreements"
    add_view_class = AgreementCreate
    edit_view_class = AgreementEdit
    inspect_view_class = AgreementInspect
    list_display = ["__str__", "signed_on", "expires_on", "renewal_status"]
    filterset_class = AgreementFilterSet
    search_fields = ["partnership__partner__name", "partnership__title", "original_name"]
    list_export = ["partnership", "kind", "signed_on", "expires_on", "renewal_status"]
    export_filename = "agreements"
    inspect_view_fields = [
        "partnership",
        "kind",
        "original_name",
        "signed_on",
        "expires_on",
        "renewal_status",
        "uploaded_by",
        "created_at",
    ]

    def get_form_class(self, for_update=False):
        return AgreementEditForm if for_update else AgreementUploadForm


@hooks.register("register_admin_urls")
def register_agreement_download():
    return [
        path(
            "crm/agreement-files/<int:pk>/",
            agreement_download,
            name="crm_agreement_download",
        )
    ]
