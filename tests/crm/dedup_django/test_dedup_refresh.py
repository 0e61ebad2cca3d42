"""Refreshing the review queue from the admin: a background task whose progress the page polls."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crm.models import AuditEntry, DuplicateCandidate, DuplicateScanRun
from crm.services.dedup_runs import duplicate_refresh_run
from tests.factories import make_partner


@pytest.fixture
def twins(world):
    return (
        make_partner("Boys & Girls Club of Burbank", website="bgcburbank.org"),
        make_partner("Boys and Girls Club of Burbank Inc", website="www.bgcburbank.org"),
    )


def test_staff_refresh_the_queue_from_the_admin_and_see_the_outcome(client, world, twins):
    client.force_login(world.pat)
    queue = client.get(reverse("crm_dedup_queue")).content.decode()
    assert reverse("crm_dedup_refresh") in queue and "Refresh the queue" in queue
    response = client.post(reverse("crm_dedup_refresh"), {"start": "1"})
    run = DuplicateScanRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("crm_dedup_refresh_run", args=[run.pk])
    # No TASKS setting: django-tasks ran it at once.
    assert run.status == DuplicateScanRun.DONE and run.requested_by == world.pat
    assert run.summary["inserted"] == 1 and run.total == run.done
    assert DuplicateCandidate.objects.count() == 1
    assert AuditEntry.objects.get(action="duplicates.refresh").channel == "admin"
    status = client.get(reverse("crm_dedup_refresh_status", args=[run.pk])).json()
    assert status == {
        "status": "done",
        "done": run.done,
        "total": run.total,
        "percent": 100,
        "finished": True,
    }
    page = client.get(response.url).content.decode()
    assert "The queue is up to date" in page and "1 new" in page
    assert "Last refresh: done" in client.get(reverse("crm_dedup_queue")).content.decode()


def test_a_running_refresh_shows_a_progress_bar_that_polls(client, world):
    run = DuplicateScanRun.objects.create(status=DuplicateScanRun.RUNNING, done=30, total=120)
    client.force_login(world.ana)
    page = client.get(reverse("crm_dedup_refresh_run", args=[run.pk])).content.decode()
    assert '<progress max="100" value="25"' in page
    assert "30 of 120 candidate pairs scored (25%)" in page
    assert reverse("crm_dedup_refresh_status", args=[run.pk]) in page
    assert "crm/js/dedup_refresh" in page
    state = client.get(reverse("crm_dedup_refresh_status", args=[run.pk])).json()
    assert state["percent"] == 25 and state["finished"] is False


def test_the_task_writes_its_progress_as_it_scans(world, twins, monkeypatch):
    seen = []
    from crm.services import dedup_runs

    real = dedup_runs.duplicate_queue_refresh

    def watching(**kwargs):
        def progress(done, total):
            kwargs_progress(done, total)
            seen.append(DuplicateScanRun.objects.values_list("status", "done", "total").get())

        kwargs_progress = kwargs.pop("progress")
        return real(progress=progress, **kwargs)

    monkeypatch.setattr(dedup_runs, "duplicate_queue_refresh", watching)
    monkeypatch.setattr(dedup_runs, "PROGRESS_EVERY", 0)
    run = DuplicateScanRun.objects.create(requested_by=world.pat)
    duplicate_refresh_run(run_id=run.pk, source="admin")
    assert seen and all(status == "running" for status, _, _ in seen)
    assert seen[-1][1] == seen[-1][2] > 0


def test_an_empty_post_starts_nothing(client, world):
    client.force_login(world.pat)
    assert client.post(reverse("crm_dedup_refresh")).url == reverse("crm_dedup_queue")
    assert not DuplicateScanRun.objects.exists()


@pytest.mark.parametrize("persona", ["cora", "lee"])
def test_other_roles_cannot_refresh(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.post(reverse("crm_dedup_refresh"), {"start": "1"})
    assert response.status_code in (302, 403) and not DuplicateScanRun.objects.exists()
