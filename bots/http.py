"""The Django face of the bot: POST /slack/events hands signed requests to the Bolt app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bots import slack_app


@csrf_exempt
@require_POST
def slack_events(request: HttpRequest) -> HttpResponse:
    """Refuse malformed timestamps here (400); Bolt verifies the signature and age (401)."""
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
    return handler.handle(request)
