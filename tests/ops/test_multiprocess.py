"""Across processes: two server processes share one Redis cache, so a write made elsewhere (a
management command, another process) shows on both servers' public pages within a second; and a
queued task survives its worker being killed mid-run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
STALE_LIMIT = 1.0

pytestmark = pytest.mark.smoke


def _redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception as err:  # noqa: BLE001
        pytest.skip(f"needs Redis at {REDIS_URL}: {err}")


def _shared_db_or_skip() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("server processes need a database they can share: runs on PostgreSQL")
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(database_url: str, prefix: str, **extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "MATCH_INDEX_WARM": "0",
        **extra,
    }


def _get(port: int, path: str) -> str:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode()


def _wait_until_up(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server process exited"
        try:
            _get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not come up")


@pytest.fixture
def two_servers(transactional_db):
    _redis_or_skip()
    database_url = _shared_db_or_skip()
    from cms.setup import setup_site
    from tests.factories import make_partner

    setup_site()
    partner = make_partner("Harbor Food Pantry", published=True)
    prefix = f"pbtest-{uuid.uuid4().hex[:8]}"
    servers = []
    for _ in range(2):
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=_env(database_url, prefix),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers.append((port, proc))
    try:
        for port, proc in servers:
            _wait_until_up(port, proc)
        yield {
            "ports": [p for p, _ in servers],
            "partner": partner,
            "env": _env(database_url, prefix),
        }
    finally:
        for _, proc in servers:
            proc.terminate()
            proc.wait(timeout=30)


def _seen_within(ports, path: str, text: str, limit: float) -> float:
    started = time.monotonic()
    while True:
        if all(text in _get(port, path) for port in ports):
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            raise AssertionError(f"{text!r} not on every server's {path} after {limit} s")
        time.sleep(0.05)


def test_a_write_by_a_command_shows_on_every_server_within_a_second(two_servers):
    ports, partner = two_servers["ports"], two_servers["partner"]
    for port in ports:  # both servers now hold the page in the shared cache
        assert "Harbor Food Pantry" in _get(port, "/partners/")
    rename = (
        "from crm.models import Partner; from crm.services.partners import partner_update; "
        f"partner_update(partner=Partner.objects.get(pk={partner.pk}), actor=None, "
        "source='command', data={'name': 'Harbor Community Pantry'})"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", rename],
        cwd=ROOT,
        env=two_servers["env"],
        check=True,
        capture_output=True,
    )
    assert _seen_within(ports, "/partners/", "Harbor Community Pantry", STALE_LIMIT) <= STALE_LIMIT


def test_a_bulk_update_in_another_process_shows_on_every_server(two_servers, settings):
    ports, partner = two_servers["ports"], two_servers["partner"]
    for port in ports:
        assert "Harbor Food Pantry" in _get(port, "/partners/")
    # This process joins the same shared cache and writes with queryset.update (no model signal).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": two_servers["env"]["CACHE_KEY_PREFIX"],
        }
    }
    from crm.models import Partner
    from crm.signals import bulk_write_done

    Partner.objects.filter(pk=partner.pk).update(name="Harbor Pantry Collective")
    bulk_write_done(Partner)
    assert _seen_within(ports, "/partners/", "Harbor Pantry Collective", STALE_LIMIT) <= STALE_LIMIT


def test_a_task_survives_its_worker_being_killed(transactional_db, tmp_path):
    database_url = _shared_db_or_skip()
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "TASK_BACKEND": "database",
        "MATCH_INDEX_WARM": "0",
    }
    marker = tmp_path / "ran"
    enqueue = (
        "from tests.ops.jobs_for_tests import slow_note; "
        f"print(slow_note.enqueue(path={str(marker)!r}, seconds=30).id)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", enqueue],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    task_id = out.stdout.strip().splitlines()[-1]
    worker = ["manage.py", "run_worker", "--interval", "0.2", "--stalled-after", "1"]
    first = subprocess.Popen(
        [sys.executable, *worker],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while DBTaskResult.objects.get(id=task_id).status != TaskResultStatus.RUNNING:
        assert time.monotonic() < deadline, "the first worker never started the task"
        time.sleep(0.2)
    first.send_signal(signal.SIGKILL)  # a crash: no chance to finish or to give the task back
    first.wait(timeout=30)
    assert DBTaskResult.objects.get(id=task_id).status == TaskResultStatus.RUNNING
    time.sleep(1.5)
    # The restarted worker takes the abandoned task back and runs it to the end (short now).
    DBTaskResult.objects.filter(id=task_id).update(
        args_kwargs={"args": [], "kwargs": {"path": str(marker), "seconds": 0}}
    )
    second = subprocess.run(
        [sys.executable, *worker, "--batch"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Requeued 1 stalled task(s)." in second.stdout
    assert DBTaskResult.objects.get(id=task_id).status == TaskResultStatus.SUCCESSFUL
    assert marker.read_text() == "ran"
