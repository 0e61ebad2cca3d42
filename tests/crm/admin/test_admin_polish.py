"""Small things people notice: page headers, local times with their zone, labels, names,
merge and import wording, the favicon and the avatar."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from crm.localtime import local_stamp
from crm.models import AuditEntry, DuplicateCandidate
from tests.factories import make_partner, make_partnership, make_referral

LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    ("url_name", "args", "title"),
    [
        ("my_schools:index", [], "My schools"),
        ("crm_dedup_queue", [], "Duplicates"),
        ("crm_dedup_history", [], "Merge history"),
        ("referral_figures:index", [], "Referral figures"),
    ],
)
def test_custom_pages_name_themselves_in_the_header(client, world, url_name, args, title):
    client.force_login(world.ana)
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    assert response.context["breadcrumbs_items"][-1]["label"] == title


def test_compare_merge_and_status_pages_name_themselves(client, world):
    a, b = make_partner("Watts Youth Center"), make_partner("Watts Youth Centre")
    pair = DuplicateCandidate.objects.create(left=a, right=b, score=90, level="likely", reasons=[])
    referral = make_referral(world.roosevelt, a)
    client.force_login(world.ana)
    for url, title in [
        (reverse("crm_dedup_compare", args=[pair.pk]), "Compare partners"),
        (reverse("crm_dedup_merge", args=[pair.pk]), "Merge partners"),
        (reverse("referral:status", args=[referral.pk]), "Change referral status"),
    ]:
        labels = [i["label"] for i in client.get(url).context["breadcrumbs_items"]]
        assert labels[-1] == title


def test_times_are_the_offices_with_the_zone():
    winter = dt.datetime(2026, 1, 15, 18, 30, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 15, 18, 30, tzinfo=dt.UTC)
    assert local_stamp(winter) == "2026-01-15 10:30 PST"
    assert local_stamp(summer) == "2026-07-15 11:30 PDT"
    entry = AuditEntry(at=winter, action="partner.create", object_repr="X", channel="admin")
    assert str(entry).startswith("2026-01-15 10:30 PST ")


def test_listing_times_name_their_zone(client, world):
    make_partner("Harbor Food Bank")
    client.force_login(world.ana)
    body = client.get(reverse("crm_auditentry:index")).content.decode()
    assert " PST " in body or " PDT " in body


def test_compare_labels_ein_as_ein(client, world):
    a = make_partner("Watts Youth Center", ein="95-1111111")
    b = make_partner("Watts Youth Centre", ein="95-2222222")
    pair = DuplicateCandidate.objects.create(left=a, right=b, score=90, level="likely", reasons=[])
    client.force_login(world.pat)
    rows = client.get(reverse("crm_dedup_compare", args=[pair.pk])).context["rows"]
    labels = {row["label"] for row in rows}
    assert "EIN" in labels and "Ein" not in labels


def test_merge_of_two_same_named_records_names_both(client, world):
    a, b = make_partner("Watts Youth Center"), make_partner("Watts Youth Center")
    pair = DuplicateCandidate.objects.create(left=a, right=b, score=99, level="likely", reasons=[])
    client.force_login(world.pat)
    url = reverse("crm_dedup_merge", args=[pair.pk])
    form = client.get(url).context["form"]
    data = {f"pick_{f}": "left" for f in form.choice_fields}
    response = client.post(url, {**data, "survivor": "left"})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"(#{b.pk}) into Watts Youth Center (#{a.pk})" in t for t in texts), texts


def test_lead_staff_is_shown_by_full_name(client, world):
    world.pat.first_name, world.pat.last_name = "Patricia", "Nguyen"
    world.pat.save()
    make_partnership(make_partner("Harbor Food Bank"), lead_staff=world.pat)
    client.force_login(world.ana)
    body = client.get(reverse("crm_partnership:index")).content.decode()
    assert "Patricia Nguyen" in body
    form = client.get(reverse("crm_partnership:add")).context["form"]
    assert "Patricia Nguyen" in [label for _, label in form.fields["lead_staff"].choices]


def test_admin_pages_have_a_favicon_and_no_remote_avatar(client, world):
    client.force_login(world.ana)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'rel="icon"' in body and "favicon.svg" in body
    assert "gravatar.com" not in body
