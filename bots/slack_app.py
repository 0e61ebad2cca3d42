"""The one Bolt app: built by a factory on first use (never at import), then cached.

`manage.py check` and the tests import this module without any Slack credentials.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from slack_bolt import App, BoltResponse
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_sdk import WebClient

from bots import views
from bots.command_line import plan_for
from bots.identity import Refusal, resolve_staff
from bots.listeners import register
from bots.respond import reply, update_view
from bots.web import use_web_client, web_client
from bots.workspace import UNREACHABLE, SlackUnreachable, is_unreachable, make_authorize

FAILED = "Something went wrong in Partnerbase; it has been logged. Please try again."

log = logging.getLogger("bots")

_lock = threading.Lock()
_cache: dict[str, object] = {}


class InlineLazyListenerRunner(LazyListenerRunner):
    """Runs lazy listeners in the request's thread, after the ack is built (tests, benchmarks)."""

    def __init__(self, logger: logging.Logger):
        self.logger = logger

    def start(self, function, request) -> None:
        self.run(function=function, request=request)


def build_app(*, token: str | None = None, signing_secret: str | None = None, client=None) -> App:
    """A fresh Bolt app with every listener; arguments default to the Django settings."""
    if client is None:
        client = WebClient(token=token, base_url=settings.SLACK_API_URL) if token else web_client()
    app = App(
        name="partnerbase",
        # Bolt reads the token from the client it is given.
        client=client,
        signing_secret=signing_secret or settings.SLACK_SIGNING_SECRET or None,
        # The installation's ids come from one cached auth.test, never one per process and
        # request: with the Web API unreachable, requests still get an answer.
        authorize=make_authorize(client),
        # Django answers over HTTP: the listener runs before the response, slow work goes lazy.
        process_before_response=True,
        token_verification_enabled=False,
        logger=log,
    )
    app.middleware(identify_staff)
    app.error(answer_error)
    register(app)
    return app


def identify_staff(body, client, context, next):
    """Resolve the staff user once per request; a refused request reaches no listener."""
    if context.get("staff_id") is not None:
        return next()
    try:
        user = resolve_staff(client=client, slack_user_id=context.user_id, team_id=context.team_id)
    except Refusal as refusal:
        return refuse(body, client, str(refusal))
    except SlackUnreachable as err:
        log.warning("Slack unreachable while identifying %s: %s", context.user_id, err)
        offline = offline_answer(body)
        if offline is not None:
            return BoltResponse(status=200, body=views.ephemeral(offline))
        return refuse(body, None, UNREACHABLE)
    context["staff_id"] = user.pk
    return next()


def offline_answer(body: dict) -> str | None:
    """What a command answers without the Web API or knowing who asks: help, argument errors."""
    if "command" not in body:
        return None
    plan = plan_for(body.get("text", ""))
    if plan.error:
        return plan.error
    return views.HELP if plan.sub == "help" else None


def answer_error(error, body, logger) -> BoltResponse:
    """Never a bare 500: a short reply, and the reason in the log."""
    if is_unreachable(error):
        log.warning("Slack unreachable: %r", error)
        return refuse(body, None, UNREACHABLE)
    log.error("Slack request failed", exc_info=error)
    return refuse(body, None, FAILED)


def refuse(body: dict, client, message: str) -> BoltResponse:
    """Answer in the way the payload type allows, without running any listener (and without
    a Web API call when client is None)."""
    kind = body.get("type")
    if "command" in body:
        return BoltResponse(status=200, body=views.ephemeral(message))
    if kind == "block_suggestion":
        return BoltResponse(status=200, body={"options": []})
    if kind == "view_submission":
        return BoltResponse(
            status=200,
            body={"response_action": "update", "view": views.message_view("Partnerbase", message)},
        )
    if client is not None and kind == "block_actions" and (body.get("view") or {}).get("id"):
        update_view(
            client, view_id=body["view"]["id"], view=views.message_view("Partnerbase", message)
        )
    reply(body.get("response_url"), views.ephemeral(message))
    return BoltResponse(status=200, body="")


def get_app() -> App:
    """The process's app, built on first use."""
    with _lock:
        if "app" not in _cache:
            _cache["app"] = build_app()
        return _cache["app"]  # type: ignore[return-value]


def get_handler():
    """The Django request handler around the app (it sets the lazy runner, so build it once)."""
    from slack_bolt.adapter.django import SlackRequestHandler

    app = get_app()
    with _lock:
        if "handler" not in _cache:
            handler = SlackRequestHandler(app=app)
            if getattr(settings, "SLACK_LAZY_INLINE", False):
                runner = app.listener_runner
                runner.lazy_listener_runner = InlineLazyListenerRunner(runner.logger)
            _cache["handler"] = handler
        return _cache["handler"]


def use_app(app: App | None) -> None:
    """Install a given app (tests, benchmarks), or forget the cached one with None."""
    with _lock:
        _cache.clear()
        if app is not None:
            _cache["app"] = app
    # The background tasks post with the same client as the app.
    use_web_client(app.client if app is not None else None)
