"""Production settings: `check --deploy` passes with zero warnings, manage.py defaults to them,
they refuse to start without a real SECRET_KEY, and every response carries a CSP.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "deploy-check-" + "k3Y-" * 12
# Production requires the shared cache's address; a check does not connect to it.
REDIS = {"REDIS_URL": "redis://127.0.0.1:6379/0"}


def manage(*args, **env) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a server never has it.
    unset = ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **REDIS, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_production_settings_has_no_warnings():
    done = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="example.org",
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_manage_py_defaults_to_production_and_refuses_without_a_secret_key():
    done = manage("check")
    assert done.returncode != 0
    assert "Set SECRET_KEY" in done.stderr


def test_production_refuses_a_short_secret_key():
    done = manage("check", SECRET_KEY="short-key", ALLOWED_HOSTS="example.org")
    assert done.returncode != 0
    assert "at least 50" in done.stderr


def test_debug_is_off_in_production_even_if_the_environment_says_otherwise():
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECURE_SSL_REDIRECT)"
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": STRONG_KEY,
            "DEBUG": "1",
            **REDIS,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split() == ["False", "True"], done.stderr


@pytest.mark.django_db
def test_public_pages_get_a_strict_csp(client):
    policy = client.get(reverse("robots_txt"))["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy


@pytest.mark.django_db
def test_the_admin_gets_the_csp_with_inline_scripts_for_wagtail(client):
    policy = client.get(reverse("wagtailadmin_login"))["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert script_src.split() == ["script-src", "'self'", "'unsafe-inline'"]
    assert "default-src 'self'" in policy


def test_health_probes_are_not_redirected_to_https_but_pages_are():
    code = (
        "from django.conf import settings; from django.test import Client;"
        "c = Client(); print(c.get('/healthz').status_code, c.get('/').status_code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": STRONG_KEY,
            "ALLOWED_HOSTS": "testserver",
            **REDIS,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.split()[-2:] == ["200", "301"], done.stderr
