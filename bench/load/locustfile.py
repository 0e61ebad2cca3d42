"""The 50-user mix: public visitors, staff in the admin, Slack slash commands and modal
submissions (signed like Slack signs them). Loopback only; run by bench/load/run.py."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import random
import re
import time
import uuid
from urllib.parse import urlencode

from locust import HttpUser, between, events, task

SECRET = os.environ["SLACK_SIGNING_SECRET"]
STUB = os.environ["SLACK_STUB_URL"]
PARTNERS = int(os.environ.get("LOAD_PARTNERS", "1000"))
TEAM = "T0LOAD"
RECORDS = os.environ.get("LOAD_RECORDS")
WORDS = "Youth Family Community Health Arts Food Housing Literacy Music STEM Sports".split()


@events.init.add_listener
def _open_records(environment, **kwargs):
    """Every request's start, name, time and outcome, so run.py can report the run after its
    ramp-up apart from the whole run (locust's own table holds only the whole run)."""
    if not RECORDS:
        return
    out = open(RECORDS, "w", newline="")  # noqa: SIM115 - closed when locust quits
    writer = csv.writer(out)

    def record(request_type, name, response_time, exception=None, start_time=None, **kwargs):
        writer.writerow(
            [f"{start_time or time.time():.3f}", name, f"{response_time:.1f}", int(bool(exception))]
        )

    environment.events.request.add_listener(record)
    environment.events.quitting.add_listener(lambda **kwargs: out.close())


class BehindTheProxy(HttpUser):
    """Every user reaches the app as production traffic does: through the TLS proxy, which says
    so in X-Forwarded-Proto (otherwise the production settings redirect to https)."""

    abstract = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client.headers["X-Forwarded-Proto"] = "https"


def _slug() -> str:
    return f"load-partner-{random.randrange(PARTNERS):06d}"


class PublicVisitor(BehindTheProxy):
    weight = 30
    wait_time = between(1, 3)

    @task(3)
    def home(self):
        self.client.get("/", name="public: home")

    @task(4)
    def directory(self):
        self.client.get(f"/partners/?page={random.randint(1, 20)}", name="public: directory")

    @task(3)
    def search(self):
        self.client.get(f"/partners/?q={random.choice(WORDS)}", name="public: search")

    @task(4)
    def profile(self):
        self.client.get(f"/partners/{_slug()}/", name="public: profile")

    @task(2)
    def school(self):
        self.client.get(
            f"/community-schools/load-school-{random.randrange(800):04d}/", name="public: school"
        )


class StaffUser(BehindTheProxy):
    """Logs in once; the session cookie is Secure (production), so it is sent by hand over the
    loopback's plain HTTP."""

    weight = 10
    wait_time = between(2, 5)

    def on_start(self):
        login = self.client.get("/admin/login/", name="admin: login page")
        token = self.client.cookies.get("csrftoken") or re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text
        ).group(1)
        self.csrf = token
        response = self.client.post(
            "/admin/login/",
            {
                "username": "load-pat",
                "password": "load-test-password",
                "csrfmiddlewaretoken": token,
            },
            headers={
                # The proxy terminated TLS, so the browser's Referer was an https one.
                "Referer": f"{self.host.replace('http://', 'https://', 1)}/admin/login/",
                "Cookie": f"csrftoken={token}",
            },
            allow_redirects=False,
            name="admin: log in",
        )
        self.session = response.cookies.get("sessionid", "")
        self.headers = {"Cookie": f"csrftoken={token}; sessionid={self.session}"}

    @task(4)
    def partner_list(self):
        self.client.get(
            f"/admin/crm/partners/?p={random.randint(1, 50)}",
            headers=self.headers,
            name="admin: partner list",
        )

    @task(2)
    def partner_search(self):
        self.client.get(
            f"/admin/crm/partners/?q={random.choice(WORDS)}",
            headers=self.headers,
            name="admin: partner search",
        )

    @task(2)
    def partner_add_form(self):
        self.client.get(
            "/admin/crm/partners/new/", headers=self.headers, name="admin: partner form"
        )

    @task(1)
    def dashboard(self):
        self.client.get("/admin/", headers=self.headers, name="admin: dashboard")


def _signed(body: str) -> dict:
    timestamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
        "Content-Type": "application/x-www-form-urlencoded",
    }


class SlackUser(BehindTheProxy):
    weight = 10
    wait_time = between(2, 5)

    def _post(self, body: str, name: str):
        with self.client.post(
            "/slack/events", data=body, headers=_signed(body), name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    def _command(self, text: str) -> str:
        return urlencode(
            {
                "team_id": TEAM,
                "channel_id": "C0LOAD",
                "user_id": "U0LOADPAT",
                "command": "/partners",
                "text": text,
                "api_app_id": "A0LOAD",
                "response_url": f"{STUB}/response/command",
                "trigger_id": f"{uuid.uuid4().hex}.trigger",
            }
        )

    @task(3)
    def find(self):
        self._post(
            self._command(f"find {random.choice(WORDS)} {random.choice(WORDS)}"),
            "slack: /partners find",
        )

    @task(2)
    def add_command(self):
        self._post(self._command("add"), "slack: /partners add (modal)")

    @task(1)
    def help(self):
        self._post(self._command("help"), "slack: /partners help")

    def _submit(self, callback_id: str, values: dict, name: str):
        """A modal's view_submission, as Slack posts it."""
        payload = {
            "type": "view_submission",
            "user": {"id": "U0LOADPAT", "team_id": TEAM},
            "team": {"id": TEAM},
            "api_app_id": "A0LOAD",
            "view": {
                "id": f"V{uuid.uuid4().hex[:10]}",
                "team_id": TEAM,
                "type": "modal",
                "callback_id": callback_id,
                "hash": "h1",
                "private_metadata": json.dumps({"response_url": f"{STUB}/response/modal"}),
                "state": {"values": {k: {k: v} for k, v in values.items()}},
            },
        }
        self._post(urlencode({"payload": json.dumps(payload)}), name)

    @task(3)
    def log_submission(self):
        values = {
            "partner": {
                "type": "external_select",
                "selected_option": {"value": f"p:{random.randint(1, PARTNERS)}"},
            },
            "summary": {"type": "plain_text_input", "value": "Met at the resource fair."},
            "channel": {"type": "static_select", "selected_option": {"value": "meeting"}},
            "occurred_on": {"type": "datepicker", "selected_date": "2026-11-02"},
        }
        self._submit("touchpoint_log", values, "slack: log touchpoint (modal submit)")

    @task(1)
    def add_partner_submission(self):
        """A new organization and its partnership: a write to partners, so every public page's
        cached copy and every worker's search stamp move on (about one every ten seconds)."""
        name = f"Load Newcomer {uuid.uuid4().hex[:8]} {random.choice(WORDS)} Collective"
        values = {
            "organization": {
                "type": "external_select",
                "selected_option": {"value": f"new:{name}"},
            },
            "kind": {"type": "static_select", "selected_option": {"value": "nonprofit"}},
            "note": {"type": "plain_text_input", "value": "Met at the resource fair."},
        }
        self._submit("partner_add", values, "slack: new partner (modal submit)")
