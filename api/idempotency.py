"""Idempotency-Key for every POST: the key row commits with the write, so a retried POST
returns the first answer and never writes twice; a failed write leaves the key free."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.models import IdempotentRequest

REPLAYED = "Idempotent-Replayed"


def fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _refuse(code: str, detail: str, status_code: int) -> Response:
    return Response({"error": code, "detail": detail}, status=status_code)


def run_idempotent(request, work: Callable[[], Response]) -> Response:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return _refuse(
            "idempotency_key_required",
            "Send an Idempotency-Key header (e.g. a UUID) with every POST.",
            status.HTTP_400_BAD_REQUEST,
        )
    if len(key) > 255 or not key.isprintable():
        return _refuse(
            "invalid", "The Idempotency-Key must be printable, at most 255 characters.", 400
        )
    print_ = fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(
                    user=request.user, key=key, fingerprint=print_
                )
        except IntegrityError:
            previous = IdempotentRequest.objects.get(user=request.user, key=key)
            if previous.fingerprint != print_:
                return _refuse(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used for a different request.",
                    status.HTTP_409_CONFLICT,
                )
            response = Response(previous.body, status=previous.status_code)
            response[REPLAYED] = "true"
            return response
        response = work()
        if response.status_code >= 400:
            transaction.set_rollback(True)
            return response
        row.status_code = response.status_code
        row.body = json.loads(JSONRenderer().render(response.data) or b"{}")
        row.save(update_fields=["status_code", "body"])
        return response
