"""The Slack Web API stub, request signing and Block Kit value builders the bot's tests share."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode

from slack_sdk import WebClient

SECRET = "test-signing-secret"
TEAM = "T0TEST"


class SlackStub:
    """Answers Web API methods like Slack does and records every call made to it."""

    def __init__(self):
        self.calls: list[dict] = []
        self.users: dict[str, dict] = {}
        self.failures: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()
        self._uploads = 0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.handle(self, raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self):
        with self._lock:
            self.calls.clear()
            self.users.clear()
            self.failures.clear()

    def client(self) -> WebClient:
        return WebClient(token="xoxb-test", base_url=f"{self.url}/api/")

    def called(self, method: str) -> list[dict]:
        return [c for c in self.calls if c["method"] == method]

    def handle(self, request: BaseHTTPRequestHandler, raw: bytes) -> None:
        path = request.path
        ctype = request.headers.get("Content-Type", "")
        if path.startswith("/upload/"):
            params = {}
        elif "json" in ctype:
            params = json.loads(raw or b"{}")
        elif "form" in ctype:
            params = dict(parse_qsl(raw.decode()))
        else:
            params = {}
        method = path.removeprefix("/api/") if path.startswith("/api/") else path
        with self._lock:
            self.calls.append({"method": method, "params": params, "raw": raw})
        if path.startswith("/upload/") or path.startswith("/response/"):
            return self._send(request, "ok", content_type="text/plain")
        self._send(request, json.dumps(self.answer(method, params)))

    def answer(self, method: str, params: dict) -> dict:
        failure = self.failures.get((method, str(params.get("channel", ""))))
        if failure:
            return {"ok": False, "error": failure}
        if method == "auth.test":
            return {"ok": True, "user_id": "UBOT", "bot_id": "B0BOT", "team_id": TEAM}
        if method == "users.info":
            user = self.users.get(params.get("user"))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method in {"views.open", "views.update"}:
            return {"ok": True, "view": {"id": params.get("view_id", "V0OPENED")}}
        if method == "chat.postMessage":
            return {"ok": True, "channel": params.get("channel"), "ts": "1700000000.000200"}
        if method == "chat.getPermalink":
            return {
                "ok": True,
                "permalink": "https://example.slack.com/archives/C0GEN/p1700000000000100",
            }
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D0DIRECT"}}
        if method == "files.getUploadURLExternal":
            with self._lock:
                self._uploads += 1
                n = self._uploads
            return {"ok": True, "upload_url": f"{self.url}/upload/{n}", "file_id": f"F{n:04d}"}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": [{"id": f["id"], "title": f["title"]} for f in files]}
        return {"ok": True}

    @staticmethod
    def _send(request, body: str, content_type: str = "application/json") -> None:
        data = body.encode()
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)


def sign(body: str, timestamp: str, secret: str = SECRET) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256)
    return "v0=" + digest.hexdigest()


class SlackClient:
    """Builds Slack payloads like Slack does, signs them and posts them to /slack/events."""

    def __init__(self, client, stub: SlackStub):
        self.http = client
        self.stub = stub

    def post(self, body: str, *, timestamp: str | None = None, signature=None, headers=None):
        timestamp = timestamp if timestamp is not None else str(int(time.time()))
        extra = {
            "HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp,
            "HTTP_X_SLACK_SIGNATURE": signature if signature is not None else sign(body, timestamp),
        }
        for name, value in (headers or {}).items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        return self.http.post(
            "/slack/events", data=body, content_type="application/x-www-form-urlencoded", **extra
        )

    def command_body(self, text: str, *, user: str = "U0PAT", team: str = TEAM) -> str:
        return urlencode(
            {
                "token": "legacy",
                "team_id": team,
                "team_domain": "partnerbase-test",
                "channel_id": "C0GEN",
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/partners",
                "text": text,
                "api_app_id": "A0APP",
                "response_url": f"{self.stub.url}/response/command",
                "trigger_id": "111.222.trigger",
            }
        )

    def command(self, text: str, **kwargs):
        return self.post(self.command_body(text, **kwargs))

    def payload_body(self, payload: dict) -> str:
        return urlencode({"payload": json.dumps(payload)})

    def interact(self, payload: dict, **kwargs):
        return self.post(self.payload_body(payload), **kwargs)

    @staticmethod
    def who(user: str, team: str) -> dict:
        return {
            "user": {"id": user, "team_id": team, "username": user.lower()},
            "team": {"id": team, "domain": "partnerbase-test"},
            "api_app_id": "A0APP",
            "token": "legacy",
        }

    def submission(
        self,
        callback_id: str,
        values: dict,
        *,
        view_id: str = "V0FORM",
        view_hash: str = "hash-1",
        metadata: dict | None = None,
        user: str = "U0PAT",
        team: str = TEAM,
    ) -> dict:
        return {
            "type": "view_submission",
            **self.who(user, team),
            "trigger_id": "333.444.trigger",
            "view": {
                "id": view_id,
                "team_id": team,
                "type": "modal",
                "callback_id": callback_id,
                "hash": view_hash,
                "private_metadata": json.dumps(
                    metadata
                    if metadata is not None
                    else {"response_url": f"{self.stub.url}/response/modal"}
                ),
                "state": {"values": {k: {k: v} for k, v in values.items()}},
            },
        }

    def suggestion(
        self, action_id: str, value: str, *, callback_id: str, user="U0PAT", team=TEAM
    ) -> dict:
        return {
            "type": "block_suggestion",
            **self.who(user, team),
            "action_id": action_id,
            "block_id": "organization",
            "value": value,
            "view": {"id": "V0FORM", "callback_id": callback_id, "type": "modal"},
        }

    def click(self, action_id: str, value: str, *, view_id="V0FORM", user="U0PAT", team=TEAM):
        return {
            "type": "block_actions",
            **self.who(user, team),
            "trigger_id": "555.666.trigger",
            "container": {"type": "view", "view_id": view_id},
            "view": {"id": view_id, "type": "modal", "callback_id": "", "hash": "prompt"},
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "action_ts": str(time.time()),
                }
            ],
        }

    def shortcut(self, text: str, *, user="U0PAT", team=TEAM) -> dict:
        return {
            "type": "message_action",
            **self.who(user, team),
            "callback_id": "log_to_partner",
            "trigger_id": "777.888.trigger",
            "response_url": f"{self.stub.url}/response/shortcut",
            "channel": {"id": "C0GEN", "name": "general"},
            "message_ts": "1700000000.000100",
            "message": {"type": "message", "ts": "1700000000.000100", "text": text},
        }


# Element values as they appear in view.state.values.
def plain(value: str) -> dict:
    return {"type": "plain_text_input", "value": value}


def select(value: str | None, kind: str = "static_select") -> dict:
    return {"type": kind, "selected_option": {"value": value} if value is not None else None}


def multi(values, kind: str = "multi_external_select") -> dict:
    return {"type": kind, "selected_options": [{"value": v} for v in values]}


def date(value: str | None) -> dict:
    return {"type": "datepicker", "selected_date": value}


def number(value: str | None) -> dict:
    return {"type": "number_input", "value": value}
