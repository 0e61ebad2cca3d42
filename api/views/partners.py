"""Partners (with aliases, services, schools served), contacts, and merges with undo."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import ContactFilter, PartnerFilter
from api.serializers import read, write
from api.views.base import SOURCE, ReadViewSet
from crm.models import Contact, MergeRecord, Partner
from crm.selectors.dedup import merge_history
from crm.services.merge import partner_merge, partner_merge_undo
from crm.services.partners import contact_create, contact_update, partner_create, partner_update

LINKS = {
    "service_categories": "servicecategory__slug",
    "equity_focus_groups": "equityfocusgroup__slug",
    "schools_served": "school_id",
    "districts_served": "district_id",
}


def attach_links(partners: list[Partner], *, contacts: bool) -> list[Partner]:
    """Each partner's related slugs and ids, read as plain pairs from the link tables (one
    query per relation for the whole page; no model instances of the other side)."""
    ids = [p.pk for p in partners]
    for field, column in LINKS.items():
        through = getattr(Partner, field).through
        found: dict[int, list] = {}
        rows = through.objects.filter(partner_id__in=ids).order_by(column)
        for partner_id, value in rows.values_list("partner_id", column):
            found.setdefault(partner_id, []).append(value)
        for partner in partners:
            setattr(partner, f"link_{field}", found.get(partner.pk, []))
    if contacts:
        prefetch_related_objects(
            partners, Prefetch("contacts", queryset=Contact.objects.order_by("name", "id"))
        )
    return partners


def _split(data: dict, related: tuple[str, ...]) -> tuple[dict, dict]:
    scalars = {k: v for k, v in data.items() if k not in related}
    return scalars, {k: data[k] for k in related if k in data}


class PartnerViewSet(ReadViewSet):
    """Partner organizations, merged-away ones included (they point at `merged_into`)."""

    model_name = "partner"
    serializer_class = read.PartnerSerializer
    filterset_class = PartnerFilter
    perms = {"create": ("crm.add_partner",), "partial_update": ("crm.change_partner",)}

    queryset = Partner.objects.all()

    def _links(self, partners: list[Partner]) -> list[Partner]:
        return attach_links(partners, contacts=self.request.user.has_perm("crm.view_contact"))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return self._links(page) if page is not None else page

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self._links([self.get_object()])[0]).data)

    @extend_schema(
        request=write.PartnerCreateSerializer,
        responses={201: read.PartnerSerializer, 409: read.ErrorSerializer},
        description="Create a partner. A likely duplicate answers 409 with the candidates and "
        "their reasons unless `create_anyway` is true.",
    )
    def create(self, request):
        def work():
            data = self._valid(write.PartnerCreateSerializer, request.data)
            partner = partner_create(actor=request.user, source=SOURCE, **data)
            return Response(self._out(partner), status=status.HTTP_201_CREATED)

        return self.idempotent(request, work)

    @extend_schema(request=write.PartnerUpdateSerializer, responses={200: read.PartnerSerializer})
    def partial_update(self, request, pk=None):
        partner = self.get_object()
        data = self._valid(write.PartnerUpdateSerializer, request.data)
        scalars, related = _split(data, write.RELATED)
        partner = partner_update(
            partner=partner, actor=request.user, source=SOURCE, data=scalars, **related
        )
        return Response(self._out(partner))

    def _valid(self, serializer_class, data) -> dict:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _out(self, partner: Partner) -> dict:
        return self.get_serializer(self._links([Partner.objects.get(pk=partner.pk)])[0]).data


class ContactViewSet(ReadViewSet):
    """People at partner organizations; their details follow the contact permission."""

    model_name = "contact"
    serializer_class = read.ContactSerializer
    filterset_class = ContactFilter
    queryset = Contact.objects.all()
    perms = {"create": ("crm.add_contact",), "partial_update": ("crm.change_contact",)}

    @extend_schema(request=write.ContactWriteSerializer, responses={201: read.ContactSerializer})
    def create(self, request):
        def work():
            serializer = write.ContactWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            contact = contact_create(actor=request.user, source=SOURCE, **serializer.validated_data)
            return Response(read.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

        return self.idempotent(request, work)

    @extend_schema(request=write.ContactUpdateSerializer, responses={200: read.ContactSerializer})
    def partial_update(self, request, pk=None):
        contact = self.get_object()
        serializer = write.ContactUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = contact_update(
            contact=contact, actor=request.user, source=SOURCE, data=dict(serializer.validated_data)
        )
        return Response(read.ContactSerializer(contact).data)


class MergeViewSet(ReadViewSet):
    """Merges of duplicate partners, for those who may merge; each can be undone."""

    serializer_class = read.MergeSerializer
    perms = {
        "list": ("crm.merge_partner",),
        "retrieve": ("crm.merge_partner",),
        "create": ("crm.merge_partner",),
        "undo": ("crm.merge_partner",),
    }

    def required_perms(self, request):
        return self.perms.get(self.action, ())

    def get_queryset(self):
        return merge_history()

    @extend_schema(request=write.MergeWriteSerializer, responses={201: read.MergeSerializer})
    def create(self, request):
        def work():
            serializer = write.MergeWriteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            record = partner_merge(
                survivor=data["survivor"],
                loser=data["loser"],
                field_choices=data.get("field_choices") or {},
                actor=request.user,
                source=SOURCE,
            )
            return Response(read.MergeSerializer(record).data, status=status.HTTP_201_CREATED)

        return self.idempotent(request, work)

    @extend_schema(request=None, responses={200: read.MergeSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        merge = self.get_object()

        def work():
            record = partner_merge_undo(
                merge=MergeRecord.objects.get(pk=merge.pk), actor=request.user, source=SOURCE
            )
            return Response(read.MergeSerializer(record).data)

        return self.idempotent(request, work)
