"""CCSPP progress packs for one school, one district (LEA) or the county, as JSON: the admin's
selector and pure arithmetic. A coordinator's token pulls only her schools' packs; district and
county packs are for leadership and administrators."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from api.serializers.packs import PackSerializer, pack_data
from api.views.base import ApiView
from crm.reports.annual import check_fiscal_year
from crm.selectors.packs import resolve_pack
from crm.selectors.reports import last_completed_fy

CDS = {"type": "string", "pattern": "^[0-9]{14}$"}


class ProgressPackView(ApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "school", CDS, description="A school's 14-digit CDS code: that school's pack."
            ),
            OpenApiParameter(
                "district",
                CDS,
                description="A district's 14-digit CDS code: the district (LEA) pack, the sum "
                "of its schools'. Leadership and administrators only.",
            ),
            OpenApiParameter(
                "fiscal_year",
                OpenApiTypes.STR,
                description="2024-25 or 2025 (the year it ends); default: the last completed.",
            ),
        ],
        responses={200: PackSerializer},
        description="A CCSPP progress pack: the same figures as the admin page and its CSV, "
        "XLSX and PDF. Neither school nor district: the county pack (leadership and "
        "administrators). Counts only; referral counts from 1 to 10 read 'fewer than 11'.",
    )
    def get(self, request):
        params = request.query_params
        text = params.get("fiscal_year", "").strip()
        try:
            fiscal_year = check_fiscal_year(text) if text else last_completed_fy()
        except ValueError as exc:
            raise exceptions.ValidationError({"fiscal_year": [str(exc)]}) from exc
        try:
            pack = resolve_pack(
                fiscal_year=fiscal_year,
                today=timezone.localdate(),
                school_cds=params.get("school", "")[:20],
                district_cds=params.get("district", "")[:20],
                user=request.user,
            )
        except PermissionError as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except ValueError as exc:
            raise exceptions.ValidationError({"pack": [str(exc)]}) from exc
        return Response(pack_data(pack))
