"""`make demo` in miniature: migrate a fresh SQLite file, load the data, serve, fetch two pages."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.smoke,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="make demo runs on SQLite; the SQLite run of the suite covers it",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args: str, env: dict, timeout: int = 240) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def fetch(url: str, deadline: float) -> int:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_demo_serves_the_site_and_the_admin_login(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
    }
    manage("migrate", "--noinput", "-v0", env=env)
    assert "Schools: 2326 created" in manage("load_reference_data", env=env)
    out = manage("load_demo", "--size", "small", env=env)
    assert "demo-ana-2026" in out

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        assert fetch(f"http://127.0.0.1:{port}/", deadline) == 200
        assert fetch(f"http://127.0.0.1:{port}/admin/login/", deadline) == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
