"""The annual partnership report's figures: the admin's selector and pure arithmetic, as JSON."""

from __future__ import annotations

import dataclasses

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from api.views.base import ApiView
from crm.reports.annual import check_fiscal_year
from crm.selectors.reports import annual_report, last_completed_fy


class AnnualReportView(ApiView):
    perms = {"get": ("crm.view_report",)}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "fiscal_year",
                OpenApiTypes.STR,
                description="2024-25 or 2025 (the year it ends); default: the last completed.",
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
        description="The annual partnership report: the same figures as the admin page, CSV, "
        "XLSX and PDF (referral figures are aggregates only).",
    )
    def get(self, request):
        text = request.query_params.get("fiscal_year", "").strip()
        try:
            fiscal_year = check_fiscal_year(text) if text else last_completed_fy()
        except ValueError as exc:
            raise exceptions.ValidationError({"fiscal_year": [str(exc)]}) from exc
        return Response(dataclasses.asdict(annual_report(fiscal_year=fiscal_year)))
