"""What every API view shares: per-action permissions, ETags, Vary, the request log, and the
service-call convention (actor = the token's user, channel "api")."""

from __future__ import annotations

import functools
import logging
import time

from django.db import DatabaseError, transaction
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import conditional_page
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api.auth import StaffSessionAuthentication, TokenAuthentication
from api.errors import exception_handler
from api.idempotency import run_idempotent
from api.models import ApiRequest
from api.pagination import IdCursorPagination
from api.permissions import ApiAccess
from api.schema import ApiAutoSchema
from api.throttling import TokenRateThrottle

SOURCE = "api"
logger = logging.getLogger(__name__)


def _log(request, response, started: float) -> None:
    user = getattr(request, "user", None)
    token = getattr(request, "api_token", None)
    try:
        with transaction.atomic():
            ApiRequest.objects.create(
                token=token,
                user=user if getattr(user, "is_authenticated", False) else None,
                method=request.method[:10],
                path=request.path[:255],
                status=response.status_code,
                duration_ms=int((time.monotonic() - started) * 1000),
            )
    except DatabaseError:
        # The answer stands even if its log line cannot be written; the failure is logged.
        logger.exception("API request log line not written")


def api_endpoint(view):
    """ETag / If-None-Match on reads (Django's conditional GET) and one log line per request."""
    conditional = conditional_page(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        started = time.monotonic()
        response = conditional(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        _log(request, response, started)
        return response

    return wrapped


class ApiMixin:
    authentication_classes = [TokenAuthentication, StaffSessionAuthentication]
    permission_classes = [ApiAccess]
    throttle_classes = [TokenRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    pagination_class = IdCursorPagination
    filter_backends = [DjangoFilterBackend]
    schema = ApiAutoSchema()
    # action (viewsets) or HTTP method (plain views) -> permissions the user must hold.
    perms: dict[str, tuple[str, ...]] = {}

    def get_exception_handler(self):
        return exception_handler

    def required_perms(self, request) -> tuple[str, ...]:
        action = getattr(self, "action", None) or request.method.lower()
        return self.perms.get(action, ())

    @classmethod
    def as_view(cls, *args, **kwargs):
        return api_endpoint(super().as_view(*args, **kwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Answers differ per token: shared caches must not hand one token's answer to another.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response

    def idempotent(self, request, work):
        return run_idempotent(request, work)


class ApiView(ApiMixin, APIView):
    pass


class ReadViewSet(
    ApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    lookup_value_regex = r"\d+"
    model_name = ""

    def required_perms(self, request):
        if self.action in ("list", "retrieve"):
            return (f"crm.view_{self.model_name}",)
        return super().required_perms(request)
