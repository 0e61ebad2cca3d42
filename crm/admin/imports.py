"""Wagtail admin: upload a CSV/XLSX, review the preview row by row, decide duplicates, confirm;
and export every list the user may see. Thin views over crm.services.imports / exports.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from crm.models import ImportBatch
from crm.selectors.exports import export_kinds_for
from crm.services.exports import CONTENT_TYPES, export_file
from crm.services.imports import (
    CONFIRM,
    DUPLICATE,
    KINDS,
    ImportRefused,
    import_batch_confirm,
    import_batch_create,
    import_kinds_for,
    max_bytes,
)

PREVIEW_ROWS_SHOWN = 500


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds")
    file = forms.FileField(label="CSV or XLSX file")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.name, k.label.capitalize()) for k in kinds]


@require_http_methods(["GET", "POST"])
def upload(request):
    kinds = import_kinds_for(request.user)
    if not kinds:
        return HttpResponseForbidden("Your role may not import records.")
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    refused = ""
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        if upload_file.size > max_bytes():
            refused = f"The file is over the {max_bytes() // (1024 * 1024)} MB limit."
        else:
            try:
                batch = import_batch_create(
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    data=upload_file.read(),
                    filename=upload_file.name,
                )
            except ImportRefused as exc:
                refused = str(exc)
            else:
                return redirect("crm_import_preview", batch_id=batch.pk)
    return render(
        request,
        "crm/admin/imports/upload.html",
        {
            "form": form,
            "refused": refused,
            "kinds": kinds,
            "columns": [(k.label, k.required, k.optional) for k in kinds],
            "batches": ImportBatch.objects.filter(user=request.user)[:10],
        },
        status=400 if refused else 200,
    )


def _options(row: dict) -> list[tuple[str, str]]:
    options = []
    for match in row["matches"]:
        if "id" in match:
            options.append((f"link:{match['id']}", f"Link to existing “{match['name']}”"))
        else:
            options.append((f"link:row{match['row']}", f"Same as row {match['row']}"))
    return [*options, ("create", "Create new anyway"), ("skip", "Skip this row")]


def _confirm_options(row: dict) -> list[tuple[str, str]]:
    # A row matched by likeness only, or a rename that looks like another partner.
    if not row.get("confirm"):
        return []
    return [(CONFIRM, "Yes, import this row as shown"), ("skip", "Skip this row")]


@require_http_methods(["GET", "POST"])
def preview(request, batch_id: int):
    # Someone else's upload is not theirs to see: 404, not 403, so ids reveal nothing.
    batch = get_object_or_404(ImportBatch, pk=batch_id, user=request.user)
    if request.method == "POST":
        if batch.status != ImportBatch.PREVIEW:
            raise Http404("This import was already applied.")
        decisions = {
            key.removeprefix("decision-"): value
            for key, value in request.POST.items()
            if key.startswith("decision-")
        }
        # A large import returns at once and is written by the background worker; this page
        # then shows its progress and, when done, its result.
        import_batch_confirm(
            batch=batch,
            user=request.user,
            decisions=decisions,
            strict=request.POST.get("mode") != "valid_only",
        )
        return redirect("crm_import_preview", batch_id=batch.pk)
    rows = batch.preview.get("rows", [])
    result = batch.result or {}
    problems = {r["number"]: r["errors"] for r in result.get("rows", []) if r["errors"]}
    shown = [
        {
            **r,
            "options": _options(r) if r["status"] == DUPLICATE else _confirm_options(r),
            "chosen": batch.decisions.get(str(r["number"]), ""),
            "problems": problems.get(r["number"], []),
        }
        for i, r in enumerate(rows)
        if i < PREVIEW_ROWS_SHOWN or r["status"] in (DUPLICATE, "error") or r.get("confirm")
    ]
    return render(
        request,
        "crm/admin/imports/preview.html",
        {
            "batch": batch,
            "kind_label": KINDS[batch.kind].label,
            "summary": batch.preview.get("summary", {}),
            "rows": shown,
            "hidden": len(rows) - len(shown),
            "result": result,
        },
    )


@require_GET
def export(request, kind: str):
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown format.")
    if kind not in export_kinds_for(request.user):
        return HttpResponseForbidden("Your role may not export these records.")
    content, content_type, name = export_file(kind=kind, user=request.user, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def exports(request):
    kinds = export_kinds_for(request.user)
    if not kinds:
        return HttpResponseForbidden("Your role may not export records.")
    return render(request, "crm/admin/imports/exports.html", {"kinds": kinds})


@hooks.register("register_admin_urls")
def urls():
    return [
        path("crm/import/", upload, name="crm_import"),
        path("crm/import/<int:batch_id>/", preview, name="crm_import_preview"),
        path("crm/export/", exports, name="crm_exports"),
        path("crm/export/<slug:kind>/", export, name="crm_export"),
    ]


class _ShownWhen(MenuItem):
    def __init__(self, *args, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown = shown

    def is_shown(self, request):
        return bool(self._shown(request.user))


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return _ShownWhen(
        "Import", reverse("crm_import"), icon_name="upload", order=900, shown=import_kinds_for
    )


@hooks.register("register_admin_menu_item")
def export_menu_item():
    return _ShownWhen(
        "Export", reverse("crm_exports"), icon_name="download", order=901, shown=export_kinds_for
    )
