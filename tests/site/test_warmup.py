"""The web server entry points build the matcher index when they load, if asked to."""

from __future__ import annotations

import importlib
import sys

import pytest

from crm.selectors import matcher_index


@pytest.mark.parametrize("module", ["cms.wsgi", "cms.asgi"])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_server_entry_points_warm_the_index_when_asked(module, enabled, settings, monkeypatch):
    settings.MATCH_INDEX_WARM = enabled
    calls = []
    monkeypatch.setattr(matcher_index, "partner_index_warm", lambda: calls.append(module) or True)
    monkeypatch.delitem(sys.modules, module, raising=False)
    importlib.import_module(module)
    assert calls == ([module] if enabled else [])
