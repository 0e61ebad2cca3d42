"""The Django face of the bot: POST /slack/events hands signed requests to the Bolt app."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bots import slack_app


def _well_formed(request: HttpRequest) -> bool:
    """An interactivity payload must be a JSON object; Bolt would raise on anything else."""
    if "json" in request.content_type:
        try:
            return isinstance(json.loads(request.body or b"{}"), dict)
        except ValueError:
            return False
    try:
        form = parse_qs(request.body.decode("utf-8"))
    except UnicodeDecodeError:
        return False
    if "payload" not in form:
        return True
    try:
        return isinstance(json.loads(form["payload"][0]), dict)
    except ValueError:
        return False


@csrf_exempt
@require_POST
def slack_events(request: HttpRequest) -> HttpResponse:
    """Malformed timestamps and bodies are refused here (400); Bolt verifies signatures (401)."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    if not timestamp.isascii() or not timestamp.isdigit():
        return JsonResponse({"error": "missing or non-numeric request timestamp"}, status=400)
    if not request.headers.get("X-Slack-Signature"):
        return JsonResponse({"error": "missing signature"}, status=401)
    try:
        handler = slack_app.get_handler()
    except Exception as err:  # noqa: BLE001 - misconfiguration answers 503, never a traceback
        slack_app.log.error("The Slack app is not configured: %s", err)
        return JsonResponse({"error": "Slack is not configured on this server"}, status=503)
    if not _well_formed(request):
        return JsonResponse({"error": "malformed request body"}, status=400)
    return handler.handle(request)
