"""Large confirmed imports are written by the background worker: the batch shows queued, running,
then its result; the run is listed in Settings › Background tasks; a repeat changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import override_settings
from django.urls import reverse

from crm.models import AuditEntry, ImportBatch, Partner
from crm.services.imports import import_batch_confirm, import_batch_create, import_batch_run
from ops.models import TaskRun, TaskStatus

DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def upload(user, names: list[str]) -> ImportBatch:
    out = io.StringIO()
    csv.writer(out).writerows([["name", "city"], *[[n, "Pomona"] for n in names]])
    return import_batch_create(
        user=user, kind="partners", data=out.getvalue().encode(), filename="partners.csv"
    )


NAMES = ["Harbor Food Bank", "Eastside Tutoring Collective", "Valley Legal Aid Clinic"]


@override_settings(IMPORT_BACKGROUND_ROWS=3)
def test_a_large_import_runs_as_a_recorded_background_task(world, client):
    batch = upload(world.pat, NAMES)
    assert import_batch_confirm(batch=batch, user=world.pat, decisions={}, strict=True) is None
    # The test queue runs the task at once: the batch is written and says so.
    batch.refresh_from_db()
    assert batch.status == ImportBatch.APPLIED
    assert batch.result["summary"]["created"] == 3
    assert sorted(Partner.objects.values_list("name", flat=True)) == sorted(NAMES)
    assert AuditEntry.objects.filter(action="partner.create", channel="import").count() == 3
    [run] = TaskRun.objects.all()
    assert run.task_name.endswith("import_batch_task") and run.status == TaskStatus.DONE
    assert "Imported 3 new" in run.outcome
    client.force_login(world.ana)
    page = client.get(reverse("ops_task_runs")).content.decode()
    assert "import_batch_task" in page


@override_settings(IMPORT_BACKGROUND_ROWS=3)
def test_a_small_import_is_written_during_the_request(world):
    batch = upload(world.pat, NAMES[:2])
    report = import_batch_confirm(batch=batch, user=world.pat, decisions={}, strict=True)
    assert report is not None and report.written
    assert not TaskRun.objects.exists()


@override_settings(IMPORT_BACKGROUND_ROWS=3, TASKS=DUMMY_QUEUE)
def test_the_page_shows_a_queued_import_then_its_result_and_a_repeat_changes_nothing(world, client):
    batch = upload(world.pat, NAMES)
    client.force_login(world.pat)
    url = reverse("crm_import_preview", args=[batch.pk])
    response = client.post(url, {"mode": "strict"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.QUEUED and not Partner.objects.exists()
    page = client.get(url).content.decode()
    assert "background worker is writing it" in page
    assert 'http-equiv="refresh"' in page
    assert "Waiting for the background worker." in page
    # The person cannot confirm it a second time while it waits.
    assert client.post(url, {"mode": "strict"}).status_code == 404

    outcome = import_batch_run(batch_id=batch.pk)  # what the worker does
    assert outcome["summary"]["created"] == 3 and outcome["summary"]["written"]
    page = client.get(url).content.decode()
    assert "Imported 3 new" in page and 'http-equiv="refresh"' not in page
    assert import_batch_run(batch_id=batch.pk) == {
        "skipped": f"import batch {batch.pk} is not queued"
    }
    assert Partner.objects.count() == 3


@override_settings(IMPORT_BACKGROUND_ROWS=3, TASKS=DUMMY_QUEUE)
def test_a_refused_background_import_goes_back_to_the_preview(world):
    batch = upload(world.pat, [*NAMES, ""])
    import_batch_confirm(batch=batch, user=world.pat, decisions={}, strict=True)
    outcome = import_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert not outcome["summary"]["written"] and batch.status == ImportBatch.PREVIEW
    assert batch.result["message"].startswith("Nothing was imported")
    assert not Partner.objects.exists()


@pytest.mark.parametrize("status", [ImportBatch.QUEUED, ImportBatch.RUNNING])
def test_the_purge_keeps_batches_the_worker_has_not_finished(world, status):
    import datetime as dt

    from crm.services.imports import import_batch_purge

    batch = upload(world.pat, NAMES[:1])
    ImportBatch.objects.filter(pk=batch.pk).update(status=status)
    assert import_batch_purge(older_than=dt.timedelta(seconds=-1)) == 0
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.PREVIEW)
    assert import_batch_purge(older_than=dt.timedelta(seconds=-1)) == 1
