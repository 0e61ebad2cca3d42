"""Schools, districts and CCSPP grants: reference data, read-only through the API."""

from __future__ import annotations

from api.filters import DistrictFilter, GrantFilter, SchoolFilter
from api.serializers import read
from api.views.base import ReadViewSet
from crm.models import CommunitySchoolGrant, District, School


class SchoolViewSet(ReadViewSet):
    model_name = "school"
    serializer_class = read.SchoolSerializer
    filterset_class = SchoolFilter
    queryset = School.objects.all()


class DistrictViewSet(ReadViewSet):
    model_name = "district"
    serializer_class = read.DistrictSerializer
    filterset_class = DistrictFilter
    queryset = District.objects.all()


class GrantViewSet(ReadViewSet):
    model_name = "communityschoolgrant"
    serializer_class = read.GrantSerializer
    filterset_class = GrantFilter
    queryset = CommunitySchoolGrant.objects.all()
