"""Clusters in the review queue: the refresh groups pairs, the admin merges a cluster at once."""

from __future__ import annotations

import csv

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from crm.models import AuditEntry, CandidateStatus, DuplicateCandidate, MergeRecord, Partner
from crm.services.clusters import partner_merge_cluster
from crm.services.dedup import duplicate_candidate_dismiss, duplicate_queue_refresh
from crm.services.merge import partner_merge_undo
from tests.factories import make_contact, make_partner

SYSTEM = {"actor": None, "source": "command"}


@pytest.fixture
def family(world):
    """Four records of one food bank, and a fifth that only resembles one of them."""
    made = {
        "a": make_partner("Eastside Community Food Bank", website="eastsidefood.org"),
        "b": make_partner("Eastside Community Food Bank Inc", website="www.eastsidefood.org"),
        "c": make_partner("East Side Community Food Bank", website="eastsidefood.org/about"),
        "d": make_partner("The Eastside Community Food Bank", phone="323-555-0199"),
        "other": make_partner("Westside Community Food Bank"),
    }
    for partner in made.values():
        make_contact(partner, name=f"Contact {partner.pk}")
    DuplicateCandidate.objects.all().delete()
    return made


def cluster_of(partner: Partner) -> set[int]:
    pairs = DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN)
    key = pairs.filter(left=partner).values_list("cluster_key", flat=True).first() or (
        pairs.filter(right=partner).values_list("cluster_key", flat=True).first()
    )
    members = set()
    for left, right in pairs.filter(cluster_key=key).values_list("left_id", "right_id"):
        members.update((left, right))
    return members


def test_refresh_stores_one_cluster_for_the_four_records(family):
    summary = duplicate_queue_refresh(**SYSTEM)
    four = {family[k].pk for k in "abcd"}
    assert cluster_of(family["a"]) == four
    assert summary.clusters == 1
    keys = set(
        DuplicateCandidate.objects.filter(left_id__in=four, right_id__in=four).values_list(
            "cluster_key", flat=True
        )
    )
    assert keys == {min(four)}
    assert family["other"].pk not in cluster_of(family["a"])


def test_a_not_a_duplicate_decision_splits_the_cluster(family):
    duplicate_queue_refresh(**SYSTEM)
    pair = DuplicateCandidate.objects.get(
        left_id=min(family["a"].pk, family["d"].pk), right_id=max(family["a"].pk, family["d"].pk)
    )
    duplicate_candidate_dismiss(candidate=pair, **SYSTEM)
    duplicate_queue_refresh(**SYSTEM)
    assert not {family["a"].pk, family["d"].pk} <= cluster_of(family["a"])


def test_cluster_merge_records_each_merge_and_each_can_be_undone(world, family):
    duplicate_queue_refresh(**SYSTEM)
    a, b, c, d = (family[k] for k in "abcd")
    records = partner_merge_cluster(
        survivor=a,
        others=[b, c, d],
        field_values={"name": c.pk, "phone": d.pk},
        actor=world.pat,
        source="admin",
    )
    assert [r.loser_id for r in records] == sorted([b.pk, c.pk, d.pk])
    a.refresh_from_db()
    assert a.name == "East Side Community Food Bank" and a.phone == "323-555-0199"
    assert a.contacts.count() == 4
    assert {"Eastside Community Food Bank", "The Eastside Community Food Bank"} <= set(a.aliases)
    assert Partner.objects.filter(merged_into=a).count() == 3
    assert not DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).filter(
        left_id__in=[b.pk, c.pk, d.pk]
    )
    audit = AuditEntry.objects.get(action="partner.merge_cluster")
    assert audit.changes["merged"] == sorted([b.pk, c.pk, d.pk])
    for record in reversed(records):
        partner_merge_undo(merge=record, actor=world.pat, source="admin")
    a.refresh_from_db()
    assert a.name == "Eastside Community Food Bank" and a.phone == ""
    assert a.contacts.count() == 1
    assert not Partner.objects.filter(merged_into__isnull=False).exists()


def test_cluster_merge_is_all_or_nothing(world, family):
    a, b, c = family["a"], family["b"], family["c"]
    partner_merge_cluster(survivor=a, others=[b], field_values={}, **SYSTEM)
    with pytest.raises(ValidationError):
        partner_merge_cluster(survivor=c, others=[family["d"], b], field_values={}, **SYSTEM)
    assert not Partner.objects.filter(merged_into=c).exists()
    with pytest.raises(ValidationError, match="record in this cluster"):
        partner_merge_cluster(
            survivor=c, others=[family["d"]], field_values={"name": a.pk}, **SYSTEM
        )
    assert MergeRecord.objects.count() == 1


def test_queue_shows_the_cluster_and_the_admin_merges_it_in_one_action(client, world, family):
    duplicate_queue_refresh(**SYSTEM)
    client.force_login(world.pat)
    a, b, c, d = (family[k] for k in "abcd")
    body = client.get(reverse("crm_dedup_queue")).content.decode()
    assert "These 4 records look like one organization" in body
    url = reverse("crm_dedup_cluster", args=[a.pk])
    assert url in body
    page = client.get(url)
    assert page.status_code == 200
    assert all(p.name in page.content.decode() for p in (a, b, c, d))
    response = client.post(
        url,
        {
            "survivor": str(b.pk),
            "members": [str(a.pk), str(b.pk), str(c.pk), str(d.pk)],
            "pick_name": str(a.pk),
            "pick_website": str(a.pk),
            "pick_phone": str(d.pk),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    b.refresh_from_db()
    assert b.name == a.name and b.phone == "323-555-0199" and b.website == "eastsidefood.org"
    assert MergeRecord.objects.filter(survivor=b).count() == 3
    assert client.get(url).status_code == 404


def test_cluster_form_leaves_out_an_unticked_record(client, world, family):
    duplicate_queue_refresh(**SYSTEM)
    client.force_login(world.ana)
    a, b, c, d = (family[k] for k in "abcd")
    url = reverse("crm_dedup_cluster", args=[a.pk])
    refused = client.post(url, {"survivor": str(d.pk), "members": [str(a.pk), str(b.pk)]})
    assert refused.status_code == 200
    assert "must be one of the records ticked" in refused.content.decode()
    done = client.post(
        url,
        {"survivor": str(a.pk), "members": [str(a.pk), str(b.pk)], "pick_name": str(a.pk)},
    )
    assert done.status_code == 302
    assert set(Partner.objects.filter(merged_into=a).values_list("pk", flat=True)) == {b.pk}
    assert Partner.objects.get(pk=d.pk).merged_into_id is None


@pytest.mark.parametrize("persona", ["cora", "lee"])
def test_other_roles_cannot_open_or_merge_a_cluster(client, world, family, persona):
    duplicate_queue_refresh(**SYSTEM)
    client.force_login(getattr(world, persona))
    url = reverse("crm_dedup_cluster", args=[family["a"].pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"survivor": str(family["a"].pk)}).status_code in (302, 403)
    assert not MergeRecord.objects.exists()


def test_spreadsheet_mode_writes_the_cluster_of_each_pair(tmp_path):
    source = tmp_path / "orgs.csv"
    source.write_text(
        "ID,Name,Web\n"
        "1,Eastside Community Food Bank,eastsidefood.org\n"
        "2,Eastside Community Food Bank Inc,www.eastsidefood.org\n"
        "3,East Side Community Food Bank,eastsidefood.org\n"
        "4,Totally Different Arts Collective,\n",
        encoding="utf-8",
    )
    output = tmp_path / "pairs.csv"
    call_command(
        "find_duplicates",
        csv=str(source),
        id_column="ID",
        name_column="Name",
        website_column="Web",
        output=str(output),
        verbosity=0,
    )
    with output.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["left_id"], r["right_id"]) for r in rows} == {("1", "2"), ("1", "3"), ("2", "3")}
    assert {r["cluster_id"] for r in rows} == {"1"}
