"""The OpenAPI schema (public: it describes, it discloses no data) and the docs for staff."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularJSONAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []


class DocsView(SpectacularSwaggerView):
    """Swagger UI, self-hosted; for signed-in staff (others go to the admin login)."""

    permission_classes = [AllowAny]
    throttle_classes = []

    def get(self, request, *args, **kwargs):
        user = request.user
        if not (user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return super().get(request, *args, **kwargs)
