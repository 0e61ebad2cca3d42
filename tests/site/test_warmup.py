"""The web server entry points build the matcher index and the public search when they load, if
asked to."""

from __future__ import annotations

import importlib
import sys

import pytest

from cms import warmup
from crm.selectors import matcher_index


@pytest.mark.parametrize("module", ["cms.wsgi", "cms.asgi"])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_server_entry_points_warm_the_index_when_asked(module, enabled, settings, monkeypatch):
    settings.MATCH_INDEX_WARM = enabled
    calls = []
    monkeypatch.setattr(matcher_index, "partner_index_warm", lambda: calls.append(module) or True)
    monkeypatch.setattr(warmup, "public_search_warm", lambda: calls.append("search"))
    monkeypatch.setattr(warmup.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.delitem(sys.modules, module, raising=False)
    importlib.import_module(module)
    assert calls == ([module, "search", "freeze"] if enabled else [])


@pytest.mark.django_db
def test_the_public_search_is_built_at_start(monkeypatch, settings):
    from crm.selectors.public import search
    from tests.factories import make_partner

    settings.MATCH_INDEX_WARM = True
    make_partner("Eastside Food Pantry", published=True)
    search.public_partner_index_clear()
    monkeypatch.setattr(warmup.gc, "freeze", lambda: None)
    # The server closes its connections before forking; the test's own must stay open.
    monkeypatch.setattr(warmup.connections, "close_all", lambda: None)
    warmup.warm()
    built = search._search._value
    assert built is not None
    assert search.public_search("eastside pantry")
    assert search._search._value is built


def test_the_code_is_loaded_at_start_when_asked(settings, monkeypatch):
    settings.WARM_CODE, settings.MATCH_INDEX_WARM = True, False
    calls = []
    monkeypatch.setattr(warmup, "load_code", lambda: calls.append("code") or 0)
    monkeypatch.setattr(warmup.connections, "close_all", lambda: None)
    warmup.warm()
    assert calls == ["code"]


def test_loading_the_code_compiles_every_page_template_once():
    from django.template import engines

    compiled = warmup.load_code()
    cached = engines["django"].engine.template_loaders[0].get_template_cache
    assert compiled > 300
    for name in ["cms/partner_directory_page.html", "base.html", "wagtailadmin/base.html"]:
        assert name in cached


def _recording(application, seen: list):
    def app(environ, start_response):
        def start(status, headers, exc_info=None):
            seen.append((environ["PATH_INFO"], environ["QUERY_STRING"], status))
            return start_response(status, headers, exc_info)

        return application(environ, start)

    return app


@pytest.mark.django_db(transaction=True)
def test_a_new_worker_serves_the_first_pages_to_itself(site_tree, monkeypatch, settings):
    from django.core.wsgi import get_wsgi_application

    from tests.factories import make_partner

    settings.ALLOWED_HOSTS = [".example.org"]
    make_partner("Eastside Food Pantry", published=True)
    searched = []
    monkeypatch.setattr(warmup, "partner_search_ids", searched.append)
    seen = []
    seconds = warmup.warm_worker(_recording(get_wsgi_application(), seen))
    assert seconds > 0
    assert [(path, query) for path, query, _ in seen] == [
        tuple((p.split("?") + [""])[:2]) for p in warmup.WORKER_PATHS
    ]
    # Through the proxy, as HTTPS and for an allowed host: answered, not redirected or refused.
    assert {status for *_, status in seen} == {"200 OK"}
    assert searched == ["food"]


def test_a_page_that_fails_to_warm_is_logged_and_the_worker_still_starts(monkeypatch, caplog):
    def broken(environ, start_response):
        raise RuntimeError("database away")

    monkeypatch.setattr(warmup, "partner_search_ids", lambda text: [])
    with caplog.at_level("WARNING", logger="cms.warmup"):
        warmup.warm_worker(broken)
    assert caplog.text.count("failed") == len(warmup.WORKER_PATHS)


@pytest.mark.parametrize("env, warmed", [({}, True), ({"WEB_WARM_WORKER": "0"}, False)])
def test_gunicorn_warms_each_worker_before_it_accepts(env, warmed, monkeypatch):
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    calls = []
    monkeypatch.setattr(warmup, "warm_worker", lambda app: calls.append(app) or 0.1)
    conf = runpy.run_path(str(Path(warmup.__file__).parents[1] / "deploy" / "gunicorn.conf.py"))
    worker = SimpleNamespace(pid=1, wsgi="app", log=SimpleNamespace(info=lambda *a: None))
    conf["post_worker_init"](worker)
    assert calls == (["app"] if warmed else [])
