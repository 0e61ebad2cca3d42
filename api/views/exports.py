"""GET /export/ lists the tables this token may read; GET /export/<table>/ streams one as CSV."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from api.exports import TABLES, csv_lines, tables_for
from api.filters import changed_since
from api.views.base import SOURCE, ApiView
from crm.models import ReferralDisclosure
from crm.services.disclosures import disclosure_record


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class ExportIndexView(ApiView):
    @extend_schema(
        responses=inline_serializer(
            "ExportTables",
            {"tables": serializers.DictField(child=serializers.CharField())},
        ),
        description="The tables this token may export, each with its CSV URL.",
        operation_id="export_tables",
    )
    def get(self, request):
        return Response(
            {
                "tables": {
                    name: request.build_absolute_uri(reverse("api:export-table", args=[name]))
                    for name in tables_for(request.user)
                }
            }
        )


class ExportTableView(ApiView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    def handle_exception(self, exc):
        # Errors are JSON even when the client asked for CSV.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        parameters=[
            OpenApiParameter("table", str, OpenApiParameter.PATH, enum=sorted(TABLES)),
            OpenApiParameter(
                "fiscal_year",
                {"type": "integer", "minimum": 1990, "maximum": 2100},
                description="Tables with a fiscal year only: 2025 = FY 2024-25.",
            ),
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                description="Only rows created or changed at or after this moment.",
            ),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR},
        operation_id="export_table",
        description="One table as CSV (UTF-8, header row, id order). Text cells that a "
        "spreadsheet would run as a formula start with a quote.",
    )
    def get(self, request, table: str):
        spec = TABLES.get(table)
        if spec is None:
            raise exceptions.NotFound("No such table; GET /api/v1/export/ lists them.")
        if not request.user.has_perm(spec.perm):
            raise exceptions.PermissionDenied("Your role may not export this table.")
        rows = spec.rows(request.user)
        fiscal_year = request.query_params.get("fiscal_year")
        if fiscal_year and "fiscal_year" in spec.columns:
            field = serializers.IntegerField(min_value=1990, max_value=2100)
            try:
                rows = rows.filter(fiscal_year=field.to_internal_value(fiscal_year))
            except serializers.ValidationError as exc:
                raise exceptions.ValidationError({"fiscal_year": exc.detail}) from exc
        since = request.query_params.get("updated_since")
        if since:
            field = serializers.DateTimeField()
            try:
                rows = changed_since(rows, field.to_internal_value(since))
            except serializers.ValidationError as exc:
                raise exceptions.ValidationError({"updated_since": exc.detail}) from exc
        if table == "referrals":
            disclosure_record(
                actor=request.user,
                source=SOURCE,
                action=ReferralDisclosure.EXPORT,
                referrals=rows.values_list("pk", "student_ref"),
                detail="API CSV export",
            )
        stamp = timezone.localdate().isoformat()
        response = StreamingHttpResponse(csv_lines(rows, spec.columns), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{table}-{stamp}.csv"'
        return response
