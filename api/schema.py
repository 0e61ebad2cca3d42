"""OpenAPI generation: every operation documents the JSON errors it can answer, POSTs take an
Idempotency-Key, and reads can answer 304 to If-None-Match."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from api.serializers.read import ErrorSerializer

ERRORS = {
    "400": "The request is not valid; `fields` says where.",
    "401": "No token, or an unknown, revoked or expired one.",
    "403": "Your role or the token's scope does not allow this.",
    "404": "No such record, or not one you may see.",
    "409": "A likely duplicate (with `candidates`), a stale edit, or a reused idempotency key.",
    "415": "Send JSON (Content-Type: application/json).",
    "429": "Too many requests for this token; wait and retry.",
}

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    OpenApiParameter.HEADER,
    required=True,
    description="A unique value per intended write (e.g. a UUID). Sending the same POST again "
    "with the same key returns the first answer and writes nothing.",
)


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self.method == "POST":
            params.append(IDEMPOTENCY_KEY)
        return params

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return operation
        error = {
            "content": {
                "application/json": {
                    "schema": self.resolve_serializer(ErrorSerializer, "response").ref
                }
            }
        }
        responses = operation.setdefault("responses", {})
        for code, description in ERRORS.items():
            responses.setdefault(code, {**error, "description": description})
        if self.method == "GET":
            responses.setdefault("304", {"description": "Not modified: If-None-Match matched."})
        return operation


def only_api_v1(endpoints):
    """The schema describes the API's resources only (not Wagtail's admin API, nor itself)."""
    skipped = ("/api/v1/schema/", "/api/v1/docs/")
    return [e for e in endpoints if e[0].startswith("/api/v1/") and e[0] not in skipped]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from Settings → API tokens.",
        }


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.StaffSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
