"""Referrals: rows only for that school's coordinators and administrators; every read of rows
is written to the disclosure log, as in the admin."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import ReferralFilter
from api.serializers import read, write
from api.views.base import SOURCE, ReadViewSet
from crm.models import ReferralDisclosure
from crm.selectors.coordination import referrals_visible_to
from crm.services.disclosures import disclosure_record
from crm.services.referrals import referral_create, referral_status_change


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReferralViewSet(ReadViewSet):
    model_name = "referral"
    serializer_class = read.ReferralSerializer
    filterset_class = ReferralFilter
    perms = {"create": ("crm.add_referral",), "status": ("crm.change_referral",)}

    def get_queryset(self):
        return referrals_visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = [(r["id"], r["student_ref"]) for r in response.data.get("results", [])]
        if rows:
            disclosure_record(
                actor=request.user,
                source=SOURCE,
                action=ReferralDisclosure.EXPORT,
                referrals=rows,
                detail="API list",
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        referral = self.get_object()
        disclosure_record(
            actor=request.user, source=SOURCE, action=ReferralDisclosure.VIEW, referrals=[referral]
        )
        return Response(read.ReferralSerializer(referral).data)

    @extend_schema(request=write.ReferralWriteSerializer, responses={201: read.ReferralSerializer})
    def create(self, request):
        def work():
            data = valid(write.ReferralWriteSerializer, request.data)
            referral = referral_create(actor=request.user, source=SOURCE, **data)
            return Response(read.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

        return self.idempotent(request, work)

    @extend_schema(request=write.ReferralStatusSerializer, responses={200: read.ReferralSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        referral = self.get_object()

        def work():
            data = valid(write.ReferralStatusSerializer, request.data)
            changed = referral_status_change(
                referral=referral,
                actor=request.user,
                source=SOURCE,
                to_status=data["to_status"],
                reason=data.get("reason", ""),
                outcome=data.get("outcome", ""),
                changed_on=data.get("changed_on"),
                expected_version=data.get("expected_version"),
            )
            return Response(read.ReferralSerializer(changed).data)

        return self.idempotent(request, work)
