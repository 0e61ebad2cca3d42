"""A CCSPP progress pack as JSON: the sections of the admin page and the CSV/XLSX/PDF files,
with the same figures (the pure pack arithmetic) and the same suppression of small counts.

`pack_data` builds the answer; the serializers below only document it in the OpenAPI schema.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm.fiscal import fy_label
from crm.reports.packs import SUPPRESSED, ProgressPack, school_figures, suppress

# Which pack a request is for (named in the OpenAPI schema as PackScopeEnum).
PACK_SCOPES = ("school", "district", "county")


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "enum": [SUPPRESSED]},
        ],
        "description": f'A count of referrals or people; 1 to 10 read "{SUPPRESSED}".',
    }
)
class SuppressedCount(serializers.Field):
    def to_representation(self, value):
        return value


def _money(value) -> str:
    return f"{value:.2f}"


def pack_data(pack: ProgressPack) -> dict:
    f = pack.figures
    label = pack.label_of
    data = {
        "scope": pack.scope,
        "label": pack.label,
        "code": pack.code,
        "fiscal_year": pack.fiscal_year,
        "fiscal_year_label": fy_label(pack.fiscal_year),
        "summary": {
            "schools": len(pack.schools),
            "funded_schools": f.funded_schools,
            "grant_amount": _money(f.grant_amount),
            "funding_secured": _money(f.funding_secured),
            "partners_serving": len(pack.partners),
            "partnerships": f.partnerships,
            "needs": f.needs,
            "needs_unmet": f.needs_unmet,
            "assets": f.assets,
        },
        "grants": [
            {
                "school_cds": s.cds_code,
                "grant_type": g.grant_type,
                "cohort": g.cohort,
                "amount": _money(g.amount),
            }
            for s in pack.schools
            for g in s.grants
        ],
        "direct_services": [
            {
                "kind": kind,
                "label": label("event_kind", kind),
                "events": events,
                "participants": participants,
                "items_distributed": items,
            }
            for kind, (events, participants, items) in sorted(f.events.items())
        ],
        "referrals": {
            "individuals": suppress(f.individuals),
            "referrals": suppress(f.referrals),
            "completed": suppress(f.completed),
            "closed_without_service": suppress(f.closed_without_service),
            "still_open": suppress(f.still_open),
            "by_need": [
                {"need": k, "label": label("need", k), "referrals": suppress(v)}
                for k, v in sorted(f.referrals_by_need.items())
            ],
            "by_status": [
                {"status": k, "label": label("referral_status", k), "referrals": suppress(v)}
                for k, v in sorted(f.referrals_by_status.items())
            ],
        },
        "pillars": [
            {
                "code": code,
                "name": name,
                "events": f.event_pillars.get(code, 0),
                "partnerships": f.partnership_pillars.get(code, 0),
                "referrals": suppress(f.service_pillars.get(code, 0)),
                "referral_needs": list(pack.needs_of_pillar(code)),
            }
            for code, name in pack.pillar_names.items()
        ],
    }
    if pack.scope != "county":
        data["needs"] = [
            {
                "school_cds": s.cds_code,
                "category": n.category,
                "description": n.description,
                "priority": n.priority,
                "source": n.source,
                "met": n.met,
            }
            for s in pack.schools
            for n in s.needs
        ]
        data["assets"] = [
            {"school_cds": s.cds_code, "kind": a.kind, "name": a.name}
            for s in pack.schools
            for a in s.assets
        ]
        data["partners"] = list(pack.partners)
    if pack.scope != "school":
        data["schools"] = [_school_line(s) for s in pack.schools]
    return data


def _school_line(s) -> dict:
    f = school_figures(s)
    return {
        "cds_code": s.cds_code,
        "name": s.name,
        "district_cds": s.district_cds,
        "ccspp_funded": bool(f.funded_schools),
        "events": f.event_total(None, 0),
        "participants": f.event_total(None, 1),
        "referrals": suppress(f.referrals),
        "individuals": suppress(f.individuals),
        "funding_secured": _money(f.funding_secured),
        "needs_unmet": f.needs_unmet,
    }


# -- schema only ----------------------------------------------------------------------------


def money() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)


class PackSummarySerializer(serializers.Serializer):
    schools = serializers.IntegerField()
    funded_schools = serializers.IntegerField()
    grant_amount = money()
    funding_secured = money()
    partners_serving = serializers.IntegerField()
    partnerships = serializers.IntegerField()
    needs = serializers.IntegerField()
    needs_unmet = serializers.IntegerField(help_text="Needs with no active partner serving them.")
    assets = serializers.IntegerField()


class PackGrantSerializer(serializers.Serializer):
    school_cds = serializers.CharField()
    grant_type = serializers.CharField()
    cohort = serializers.IntegerField()
    amount = money()


class PackServiceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    events = serializers.IntegerField()
    participants = serializers.IntegerField()
    items_distributed = serializers.IntegerField()


class PackNeedCountSerializer(serializers.Serializer):
    need = serializers.CharField()
    label = serializers.CharField()
    referrals = SuppressedCount()


class PackStatusCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    referrals = SuppressedCount()


class PackReferralsSerializer(serializers.Serializer):
    individuals = SuppressedCount()
    referrals = SuppressedCount()
    completed = SuppressedCount()
    closed_without_service = SuppressedCount()
    still_open = SuppressedCount()
    by_need = PackNeedCountSerializer(many=True)
    by_status = PackStatusCountSerializer(many=True)


class PackPillarSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    events = serializers.IntegerField()
    partnerships = serializers.IntegerField()
    referrals = SuppressedCount(
        help_text="Services by pillar: referrals in the year whose need a service category of "
        "this pillar meets (a referral may count under several pillars)."
    )
    referral_needs = serializers.ListField(
        child=serializers.CharField(),
        help_text="The referral needs (codes) whose service categories carry this pillar.",
    )


class PackNeedSerializer(serializers.Serializer):
    school_cds = serializers.CharField()
    category = serializers.CharField(help_text='The service category, or "" for other needs.')
    description = serializers.CharField()
    priority = serializers.CharField()
    source = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)


class PackAssetSerializer(serializers.Serializer):
    school_cds = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()


class PackSchoolSerializer(serializers.Serializer):
    cds_code = serializers.CharField()
    name = serializers.CharField()
    district_cds = serializers.CharField()
    ccspp_funded = serializers.BooleanField()
    events = serializers.IntegerField()
    participants = serializers.IntegerField()
    referrals = SuppressedCount()
    individuals = SuppressedCount()
    funding_secured = money()
    needs_unmet = serializers.IntegerField()


class PackSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=PACK_SCOPES)
    label = serializers.CharField()
    code = serializers.CharField(help_text="The CDS code; empty for the county.")
    fiscal_year = serializers.IntegerField(help_text="The year it ends: 2025 for FY 2024-25.")
    fiscal_year_label = serializers.CharField()
    summary = PackSummarySerializer()
    grants = PackGrantSerializer(many=True)
    direct_services = PackServiceSerializer(many=True)
    referrals = PackReferralsSerializer()
    pillars = PackPillarSerializer(many=True)
    needs = PackNeedSerializer(many=True, required=False, help_text="School and district packs.")
    assets = PackAssetSerializer(many=True, required=False, help_text="School and district packs.")
    partners = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="School and district packs."
    )
    schools = PackSchoolSerializer(
        many=True, required=False, help_text="District and county packs: a line per school."
    )
