"""Who gets what from the import and export URLs (GET and an empty POST), persona by persona."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from crm.models import ImportBatch

PERSONAS = ("anonymous", "ana", "pat", "cora", "omar", "lee")
# route -> persona -> (GET status, empty POST status)
EXPECTED = {
    "crm_import": {
        "anonymous": (302, 302),
        "ana": (200, 200),
        "pat": (200, 200),
        "cora": (200, 200),
        "omar": (200, 200),
        "lee": (403, 403),
    },
    "crm_import_preview": {
        "anonymous": (302, 302),
        "ana": (404, 404),
        "pat": (200, 302),
        "cora": (404, 404),
        "omar": (404, 404),
        "lee": (404, 404),
    },
    "crm_exports": {p: (200, 405) for p in PERSONAS} | {"anonymous": (302, 302)},
    "crm_export": {
        "anonymous": (302, 302),
        "ana": (200, 405),
        "pat": (200, 405),
        "cora": (403, 405),
        "omar": (403, 405),
        "lee": (200, 405),
    },
}


@pytest.mark.parametrize("route", sorted(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_import_route_matrix(client, world, route, persona):
    batch = ImportBatch.objects.create(
        user=world.pat,
        kind="partners",
        filename="p.csv",
        rows={"headers": {"name": "name"}, "rows": [{"n": 2, "c": {"name": "Harbor Food Bank"}}]},
        preview={"summary": {}, "rows": []},
    )
    args = {"crm_import_preview": [batch.pk], "crm_export": ["funding"]}.get(route, [])
    url = reverse(route, args=args)
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    expected_get, expected_post = EXPECTED[route][persona]
    assert client.get(url).status_code == expected_get
    assert client.post(url, {}).status_code == expected_post
