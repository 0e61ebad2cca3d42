"""The duplicate review screens in the Wagtail admin, end to end with the Django test client."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from crm.models import AuditEntry, CandidateStatus, DuplicateCandidate, MergeRecord, Partner
from crm.services.dedup import duplicate_queue_refresh
from crm.services.merge import partner_merge

SYSTEM = {"actor": None, "source": "command"}


@pytest.fixture
def queued(pair):
    duplicate_queue_refresh(**SYSTEM)
    return DuplicateCandidate.objects.get(left=pair.keep, right=pair.dupe)


def menu_labels(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return [str(item.label) for item in admin_menu.menu_items_for_request(request)]


def login(client, world, persona: str):
    client.force_login(getattr(world, persona))
    return client


@pytest.mark.parametrize("persona", ["ana", "pat"])
def test_queue_lists_open_pairs_with_level_and_reasons(client, world, queued, persona):
    login(client, world, persona)
    response = client.get(reverse("crm_dedup_queue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Boys and Girls Club of Burbank, Inc." in body
    assert "Likely duplicate" in body
    assert queued.reasons[0].replace("'", "&#x27;") in body
    assert reverse("crm_dedup_compare", args=[queued.pk]) in body
    assert "Duplicates" in menu_labels(getattr(world, persona))


def test_queue_is_best_first(client, world, queued, pair):
    from tests.factories import make_partner

    a, b = make_partner("Sunrise Kids Academy"), make_partner("Sunrise Kid Academy")
    low = DuplicateCandidate.objects.create(left=a, right=b, score=71, level="possible", reasons=[])
    login(client, world, "pat")
    listed = list(client.get(reverse("crm_dedup_queue")).context["page"].object_list)
    assert listed[0] == queued and listed[-1] == low
    assert [p.score for p in listed] == sorted((p.score for p in listed), reverse=True)


def test_compare_shows_both_partners_fields_and_counts(client, world, queued, pair):
    login(client, world, "pat")
    response = client.get(reverse("crm_dedup_compare", args=[queued.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "95-1234567" in body and "300 E Olive Ave" in body and "818-555-0100" in body
    counts = {row["label"]: (row["left"], row["right"]) for row in response.context["counts"]}
    assert counts["contacts"] == (1, 2)
    assert counts["touchpoints"] == (1, 2)
    assert counts["events"] == (1, 2)
    assert counts["schools served"] == (1, 2)
    assert counts["referrals"] == (1, 1)
    for action in ("crm_dedup_merge", "crm_dedup_not_duplicate", "crm_dedup_skip"):
        assert reverse(action, args=[queued.pk]) in body


def test_merge_form_moves_everything_with_the_chosen_values(client, world, queued, pair):
    login(client, world, "pat")
    url = reverse("crm_dedup_merge", args=[queued.pk])
    form = client.get(url).context["form"]
    assert "pick_ein" in form.fields and "pick_name" in form.fields
    assert "pick_kind" not in form.fields  # same value on both sides: nothing to choose
    data = {f"pick_{f}": "left" for f in form.choice_fields}
    data.update(survivor="left", pick_ein="right", pick_street="right")
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("crm_dedup_queue")
    keep, dupe = Partner.objects.get(pk=pair.keep.pk), Partner.objects.get(pk=pair.dupe.pk)
    assert dupe.merged_into_id == keep.pk
    assert keep.ein == "95-1234567" and keep.street == "300 E Olive Ave"
    assert keep.name == "Boys & Girls Club of Burbank" and keep.phone == "818-555-0100"
    assert "Boys and Girls Club of Burbank, Inc." in keep.aliases
    assert keep.contacts.count() == 3
    record = MergeRecord.objects.get()
    assert record.merged_by == world.pat
    assert AuditEntry.objects.get(action="partner.merge").channel == "admin"
    queued.refresh_from_db()
    assert queued.status == CandidateStatus.MERGED
    assert queued not in client.get(reverse("crm_dedup_queue")).context["page"].object_list


def test_merge_form_can_keep_the_right_record(client, world, queued, pair):
    login(client, world, "ana")
    url = reverse("crm_dedup_merge", args=[queued.pk])
    form = client.get(url).context["form"]
    data = {f"pick_{f}": "right" for f in form.choice_fields}
    client.post(url, {**data, "survivor": "right"})
    keep = Partner.objects.get(pk=pair.keep.pk)
    assert keep.merged_into_id == pair.dupe.pk
    dupe = Partner.objects.get(pk=pair.dupe.pk)
    assert dupe.name == "Boys and Girls Club of Burbank, Inc."
    assert "Boys & Girls Club of Burbank" in dupe.aliases


def test_merge_form_errors_change_nothing(client, world, queued, pair):
    login(client, world, "pat")
    response = client.post(reverse("crm_dedup_merge", args=[queued.pk]), {"survivor": "middle"})
    assert response.status_code == 200
    assert response.context["form"].errors["survivor"]
    assert not MergeRecord.objects.exists()


def test_merge_refused_by_the_service_shows_the_reason(client, world, queued, pair):
    from tests.factories import make_partner

    third = make_partner("Somebody Else Entirely")
    partner_merge(survivor=third, loser=pair.dupe, field_choices={}, **SYSTEM)
    DuplicateCandidate.objects.filter(pk=queued.pk).update(status=CandidateStatus.OPEN)
    login(client, world, "pat")
    url = reverse("crm_dedup_merge", args=[queued.pk])
    form = client.get(url).context["form"]
    data = {f"pick_{f}": "left" for f in form.choice_fields}
    response = client.post(url, {**data, "survivor": "left"})
    assert response.status_code == 200
    assert "already merged" in response.content.decode()
    assert MergeRecord.objects.count() == 1


def test_not_a_duplicate_is_remembered(client, world, queued):
    login(client, world, "pat")
    response = client.post(reverse("crm_dedup_not_duplicate", args=[queued.pk]))
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == CandidateStatus.NOT_DUPLICATE and queued.decided_by == world.pat
    duplicate_queue_refresh(**SYSTEM)
    queued.refresh_from_db()
    assert queued.status == CandidateStatus.NOT_DUPLICATE
    listed = client.get(reverse("crm_dedup_queue")).context["page"].object_list
    assert queued not in listed
    # Decided pairs cannot be merged from a stale page.
    assert client.get(reverse("crm_dedup_merge", args=[queued.pk])).status_code == 302


def test_skip_takes_the_pair_off_the_queue(client, world, queued):
    login(client, world, "pat")
    assert client.post(reverse("crm_dedup_skip", args=[queued.pk])).status_code == 302
    queued.refresh_from_db()
    assert queued.status == CandidateStatus.SKIPPED
    assert queued not in client.get(reverse("crm_dedup_queue")).context["page"].object_list


def test_history_and_undo(client, world, queued, pair, dump):
    before = dump()
    login(client, world, "pat")
    form = client.get(reverse("crm_dedup_merge", args=[queued.pk])).context["form"]
    data = {f"pick_{f}": "right" for f in form.choice_fields}
    client.post(reverse("crm_dedup_merge", args=[queued.pk]), {**data, "survivor": "left"})
    record = MergeRecord.objects.get()
    history = client.get(reverse("crm_dedup_history"))
    assert history.status_code == 200
    assert reverse("crm_dedup_undo", args=[record.pk]) in history.content.decode()
    confirm = client.get(reverse("crm_dedup_undo", args=[record.pk]))
    assert confirm.status_code == 200 and "Undo merge" in confirm.content.decode()
    response = client.post(reverse("crm_dedup_undo", args=[record.pk]))
    assert response.status_code == 302
    assert dump() == before
    record.refresh_from_db()
    assert record.undone_by == world.pat
    again = client.post(reverse("crm_dedup_undo", args=[record.pk]), follow=True)
    assert "already undone" in again.content.decode()


def all_routes(candidate_pk: int, merge_pk: int):
    return [
        ("crm_dedup_queue", []),
        ("crm_dedup_compare", [candidate_pk]),
        ("crm_dedup_merge", [candidate_pk]),
        ("crm_dedup_not_duplicate", [candidate_pk]),
        ("crm_dedup_skip", [candidate_pk]),
        ("crm_dedup_history", []),
        ("crm_dedup_undo", [merge_pk]),
    ]


@pytest.mark.parametrize("persona", ["cora", "omar", "lee"])
def test_other_roles_are_refused_and_nothing_changes(client, world, queued, pair, persona, dump):
    from tests.factories import make_partner

    other = make_partner("Unrelated Org One")
    merged = make_partner("Unrelated Org Two")
    record = partner_merge(survivor=other, loser=merged, field_choices={}, **SYSTEM)
    before = dump()
    login(client, world, persona)
    home = reverse("wagtailadmin_home")
    for name, args in all_routes(queued.pk, record.pk):
        url = reverse(name, args=args)
        # Wagtail answers a PermissionDenied in its admin with a redirect home and a message.
        for response in (client.get(url), client.post(url, {"survivor": "left"})):
            assert (response.status_code, response["Location"]) == (302, home), name
    assert dump() == before
    assert (
        'href="/admin/duplicates/"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_anonymous_is_sent_to_login(client, queued):
    for name, args in all_routes(queued.pk, 1):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["ana", "pat"])
def test_route_statuses_for_reviewers(client, world, queued, persona):
    from tests.factories import make_partner

    record = partner_merge(
        survivor=make_partner("Unrelated Org One"),
        loser=make_partner("Unrelated Org Two"),
        field_choices={},
        **SYSTEM,
    )
    login(client, world, persona)
    expected_get = {
        "crm_dedup_queue": 200,
        "crm_dedup_compare": 200,
        "crm_dedup_merge": 200,
        "crm_dedup_not_duplicate": 405,
        "crm_dedup_skip": 405,
        "crm_dedup_history": 200,
        "crm_dedup_undo": 200,
    }
    for name, args in all_routes(queued.pk, record.pk):
        assert client.get(reverse(name, args=args)).status_code == expected_get[name], name
    for name in ("crm_dedup_queue", "crm_dedup_compare", "crm_dedup_history"):
        args = [queued.pk] if name == "crm_dedup_compare" else []
        assert client.post(reverse(name, args=args)).status_code == 405, name
    assert client.post(reverse("crm_dedup_skip", args=[queued.pk])).status_code == 302
    assert client.post(reverse("crm_dedup_undo", args=[record.pk])).status_code == 302
