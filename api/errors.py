"""Every API error is JSON: {"error": code, "detail": message, ...}; never HTML or a traceback."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from crm.dedup.explain import describe
from crm.services.partners import DuplicatePartner
from crm.services.referrals import StaleEdit

logger = logging.getLogger(__name__)


def validation_body(exc: ValidationError) -> dict:
    body: dict = {"error": "invalid", "detail": " ".join(exc.messages)}
    if hasattr(exc, "error_dict"):
        body["fields"] = {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return body


def duplicate_body(exc: DuplicatePartner) -> dict:
    return {
        "error": "duplicate",
        "detail": "This looks like an existing partner. Use it, or send create_anyway: true.",
        "candidates": [
            {
                "id": m.id,
                "name": m.name,
                "score": round(float(m.score), 1),
                "level": m.level,
                "reasons": list(m.reasons),
                "explanation": describe(m),
            }
            for m in exc.matches
        ],
    }


def _drf_body(exc: exceptions.APIException, data) -> dict:
    codes = exc.get_codes()
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        code = codes.get("detail") if isinstance(codes, dict) else codes
        return {"error": str(code), "detail": str(data["detail"])}
    return {"error": "invalid", "detail": "Some fields are not valid.", "fields": data}


def exception_handler(exc, context):
    if isinstance(exc, DuplicatePartner):
        return Response(duplicate_body(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StaleEdit):
        return Response(
            {"error": "stale", "detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, ValidationError):
        return Response(validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such record, or not one you may see.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_handler(exc, context)
    if response is None:
        logger.exception("API request failed", exc_info=exc)
        return Response(
            {"error": "server_error", "detail": "Something went wrong on our side; it is logged."},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    response.data = _drf_body(exc, response.data)
    return response


def not_found(request, *args, **kwargs):
    """Unknown paths under /api/: a JSON 404, not the site's HTML page."""
    return JsonResponse(
        {"error": "not_found", "detail": "No such API endpoint; see /api/v1/schema/."}, status=404
    )
