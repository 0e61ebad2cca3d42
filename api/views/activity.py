"""Partnerships, touchpoints, events and funding: reads scoped as in the admin, writes through
the crm services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import EventFilter, FundingFilter, PartnershipFilter, TouchpointFilter
from api.serializers import read, write
from api.views.base import SOURCE, ReadViewSet
from crm.models import Funding, Partnership, Touchpoint
from crm.selectors.coordination import events_visible_to
from crm.services.activity import (
    event_create,
    event_update,
    funding_create,
    partnership_create,
    partnership_end,
    partnership_update,
    touchpoint_create,
)


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PartnershipViewSet(ReadViewSet):
    model_name = "partnership"
    serializer_class = read.PartnershipSerializer
    filterset_class = PartnershipFilter
    queryset = Partnership.objects.prefetch_related("schools", "districts")
    perms = {
        "create": ("crm.add_partnership",),
        "partial_update": ("crm.change_partnership",),
        "end": ("crm.change_partnership",),
    }

    def _out(self, partnership, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=partnership.pk)
        return Response(read.PartnershipSerializer(fresh).data, status=code)

    @extend_schema(
        request=write.PartnershipWriteSerializer, responses={201: read.PartnershipSerializer}
    )
    def create(self, request):
        def work():
            data = valid(write.PartnershipWriteSerializer, request.data)
            return self._out(
                partnership_create(actor=request.user, source=SOURCE, **data),
                status.HTTP_201_CREATED,
            )

        return self.idempotent(request, work)

    @extend_schema(
        request=write.PartnershipUpdateSerializer, responses={200: read.PartnershipSerializer}
    )
    def partial_update(self, request, pk=None):
        partnership = self.get_object()
        data = valid(write.PartnershipUpdateSerializer, request.data)
        related = {k: data.pop(k) for k in ("districts", "schools") if k in data}
        return self._out(
            partnership_update(
                partnership=partnership, actor=request.user, source=SOURCE, data=data, **related
            )
        )

    @extend_schema(
        request=write.PartnershipEndSerializer, responses={200: read.PartnershipSerializer}
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        partnership = self.get_object()

        def work():
            data = valid(write.PartnershipEndSerializer, request.data)
            return self._out(
                partnership_end(
                    partnership=partnership,
                    end_date=data["end_date"],
                    actor=request.user,
                    source=SOURCE,
                )
            )

        return self.idempotent(request, work)


class TouchpointViewSet(ReadViewSet):
    model_name = "touchpoint"
    serializer_class = read.TouchpointSerializer
    filterset_class = TouchpointFilter
    queryset = Touchpoint.objects.all()
    perms = {"create": ("crm.add_touchpoint",)}

    @extend_schema(
        request=write.TouchpointWriteSerializer, responses={201: read.TouchpointSerializer}
    )
    def create(self, request):
        def work():
            data = valid(write.TouchpointWriteSerializer, request.data)
            touchpoint = touchpoint_create(actor=request.user, source=SOURCE, **data)
            return Response(
                read.TouchpointSerializer(touchpoint).data, status=status.HTTP_201_CREATED
            )

        return self.idempotent(request, work)


class EventViewSet(ReadViewSet):
    """Events: coordinators see and record their own schools' only."""

    model_name = "event"
    serializer_class = read.EventSerializer
    filterset_class = EventFilter
    perms = {"create": ("crm.add_event",), "partial_update": ("crm.change_event",)}

    def get_queryset(self):
        return events_visible_to(self.request.user).prefetch_related("partners")

    def _out(self, event, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=event.pk)
        return Response(read.EventSerializer(fresh).data, status=code)

    @extend_schema(request=write.EventWriteSerializer, responses={201: read.EventSerializer})
    def create(self, request):
        def work():
            data = valid(write.EventWriteSerializer, request.data)
            return self._out(
                event_create(actor=request.user, source=SOURCE, **data), status.HTTP_201_CREATED
            )

        return self.idempotent(request, work)

    @extend_schema(request=write.EventUpdateSerializer, responses={200: read.EventSerializer})
    def partial_update(self, request, pk=None):
        event = self.get_object()
        data = valid(write.EventUpdateSerializer, request.data)
        partners = data.pop("partners", None)
        return self._out(
            event_update(
                event=event, actor=request.user, source=SOURCE, data=data, partners=partners
            )
        )


class FundingViewSet(ReadViewSet):
    model_name = "funding"
    serializer_class = read.FundingSerializer
    filterset_class = FundingFilter
    queryset = Funding.objects.all()
    perms = {"create": ("crm.add_funding",)}

    @extend_schema(request=write.FundingWriteSerializer, responses={201: read.FundingSerializer})
    def create(self, request):
        def work():
            data = valid(write.FundingWriteSerializer, request.data)
            funding = funding_create(
                actor=request.user, source=SOURCE, source_name=data.pop("source"), **data
            )
            return Response(read.FundingSerializer(funding).data, status=status.HTTP_201_CREATED)

        return self.idempotent(request, work)
