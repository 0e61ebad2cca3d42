"""partner_merge and partner_merge_undo: all moves, undo restores exactly, chains, refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import (
    AuditEntry,
    CandidateStatus,
    DuplicateCandidate,
    EventPartner,
    MergeRecord,
    Partner,
    PartnerStatus,
)
from crm.services.merge import (
    CHOOSABLE_FIELDS,
    RELATION_RULES,
    partner_merge,
    partner_merge_undo,
    partner_relations,
    relation_key,
)
from tests.crm.dedup_django.conftest import rows_of
from tests.factories import make_event, make_partner

SYSTEM = {"actor": None, "source": "command"}


def merge(survivor, loser, choices=None, **who):
    return partner_merge(
        survivor=survivor, loser=loser, field_choices=choices or {}, **(who or SYSTEM)
    )


def test_every_partner_relation_has_a_merge_rule():
    keys = {relation_key(f) for f in partner_relations()}
    missing = sorted(keys - set(RELATION_RULES))
    assert not missing, f"Partner relations without a merge rule in RELATION_RULES: {missing}"
    # A rule for a relation that no longer exists is a stale registry entry.
    assert not sorted(set(RELATION_RULES) - keys)


def test_relation_registry_sees_hidden_and_reverse_relations():
    keys = {relation_key(f) for f in partner_relations()}
    # DuplicateCandidate's foreign keys have related_name="+": easy to forget, must be listed.
    assert {"<- crm.DuplicateCandidate.left", "<- crm.DuplicateCandidate.right"} <= keys
    assert {
        "<- crm.MergeRecord.loser",
        "<- crm.Partner.merged_into",
        "<- crm.Event.partners",
    } <= keys
    assert {"crm.Partner.merged_into", "crm.Partner.schools_served"} <= keys


def test_merge_moves_every_related_record(pair, world):
    before_keep, before_dupe = rows_of(pair.keep), rows_of(pair.dupe)
    record = merge(pair.keep, pair.dupe)
    keep, dupe = Partner.objects.get(pk=pair.keep.pk), Partner.objects.get(pk=pair.dupe.pk)
    after = rows_of(keep)
    for relation, ids in before_keep.items():
        assert after[relation] == ids | before_dupe[relation], relation
    assert all(not ids for ids in rows_of(dupe).values())
    assert dupe.merged_into_id == keep.pk
    assert dupe.status == PartnerStatus.MERGED and dupe.published is False
    [collision] = record.snapshot["event_links"]["collided"]
    assert collision["other"] == pair.shared.pk
    schools = record.snapshot["m2m"]["schools_served"]
    assert [c["other"] for c in schools["collided"]] == [world.roosevelt.pk]
    assert len(schools["moved"]) == 1
    assert EventPartner.objects.filter(event=pair.shared).count() == 1


def test_merge_keeps_every_name_as_alias_and_applies_choices_only(pair):
    keep_before = Partner.objects.get(pk=pair.keep.pk)
    merge(pair.keep, pair.dupe, {"ein": "loser", "street": "loser", "phone": "survivor"})
    keep = Partner.objects.get(pk=pair.keep.pk)
    assert keep.name == "Boys & Girls Club of Burbank"
    assert keep.ein == "95-1234567" and keep.street == "300 E Olive Ave"
    assert keep.phone == "818-555-0100"
    for field in set(CHOOSABLE_FIELDS) - {"ein", "street"}:
        assert getattr(keep, field) == getattr(keep_before, field), field
    assert set(keep.aliases) == {
        "BGC Burbank",
        "Boys and Girls Club of Burbank, Inc.",
        "B&GC Burbank",
    }


def test_choosing_the_losers_name_keeps_the_survivors_old_name_as_alias(pair):
    merge(pair.keep, pair.dupe, {"name": "loser"})
    keep = Partner.objects.get(pk=pair.keep.pk)
    assert keep.name == "Boys and Girls Club of Burbank, Inc."
    assert "Boys & Girls Club of Burbank" in keep.aliases
    assert keep.name not in keep.aliases


def test_undo_restores_every_row_exactly(pair, dump):
    DuplicateCandidate.objects.create(
        left=pair.keep, right=pair.dupe, score=95, level="likely", reasons=["same website"]
    )
    before = dump()
    record = merge(pair.keep, pair.dupe, {"name": "loser", "ein": "loser", "website": "loser"})
    assert dump() != before
    partner_merge_undo(merge=record, **SYSTEM)
    assert dump() == before
    record.refresh_from_db()
    assert record.undone_at is not None
    actions = list(
        AuditEntry.objects.filter(action__startswith="partner.").values_list("action", flat=True)
    )
    assert {
        "partner.merge",
        "partner.merged_away",
        "partner.merge_undo",
        "partner.unmerged",
    } <= set(actions)


def test_undo_twice_is_refused(pair):
    record = merge(pair.keep, pair.dupe)
    partner_merge_undo(merge=record, **SYSTEM)
    with pytest.raises(ValidationError, match="already undone"):
        partner_merge_undo(merge=record, **SYSTEM)


def test_undo_keeps_a_later_edit_of_the_survivor(pair):
    from crm.services.partners import partner_update

    record = merge(pair.keep, pair.dupe, {"ein": "loser"})
    partner_update(partner=pair.keep, data={"ein": "11-1111111"}, **SYSTEM)
    partner_merge_undo(merge=record, **SYSTEM)
    assert Partner.objects.get(pk=pair.keep.pk).ein == "11-1111111"
    entry = AuditEntry.objects.get(action="partner.merge_undo")
    assert entry.changes["kept_later_edits"] == ["ein"]


def test_chain_resolves_to_the_final_survivor_and_undoes_in_order(world, dump):
    x = make_partner("Harbor Youth Services")
    y = make_partner("Harbor Youth Svcs")
    z = make_partner("Harbor Youth Services Inc")
    event = make_event(world.roosevelt, partners=[x, z])
    before = dump()
    first = merge(y, x)
    second = merge(z, y)
    x.refresh_from_db()
    y.refresh_from_db()
    assert x.merged_into_id == z.pk and y.merged_into_id == z.pk
    assert second.snapshot["chained"] == [x.pk]
    assert list(event.partners.all()) == [z]
    with pytest.raises(ValidationError, match="undo that merge first"):
        partner_merge_undo(merge=first, **SYSTEM)
    partner_merge_undo(merge=second, **SYSTEM)
    assert Partner.objects.get(pk=x.pk).merged_into_id == y.pk
    partner_merge_undo(merge=first, **SYSTEM)
    assert dump() == before


@pytest.mark.parametrize("case", ["self", "loser_merged", "survivor_merged", "reverse"])
def test_refused_merges_change_nothing(world, dump, case):
    a, b, c = (make_partner(n) for n in ("Alpha Arts", "Alpha Arts Inc", "Alpha Arts LLC"))
    merge(b, c)
    before = dump()
    survivor, loser = {
        "self": (a, a),
        "loser_merged": (a, c),
        "survivor_merged": (c, a),
        # b absorbed c; making b the loser of c would point c and b at each other.
        "reverse": (c, b),
    }[case]
    with pytest.raises(ValidationError):
        merge(survivor, loser)
    assert dump() == before
    assert MergeRecord.objects.count() == 1


def test_no_cycle_is_ever_stored(world):
    a, b = make_partner("Cycle Test Org"), make_partner("Cycle Test Org Inc")
    merge(a, b)
    with pytest.raises(ValidationError, match="cycle"):
        merge(b, a)
    rows = dict(Partner.objects.values_list("pk", "merged_into_id"))
    assert rows[b.pk] == a.pk and rows[a.pk] is None


@pytest.mark.parametrize(
    "choices,message",
    [({"slug": "loser"}, "cannot be chosen"), ({"name": "both"}, "survivor' or 'loser")],
)
def test_bad_field_choices_are_refused(pair, choices, message):
    with pytest.raises(ValidationError, match=message):
        merge(pair.keep, pair.dupe, choices)
    assert Partner.objects.get(pk=pair.dupe.pk).merged_into_id is None


@pytest.mark.parametrize(
    "persona,allowed", [("ana", True), ("pat", True), ("cora", False), ("lee", False)]
)
def test_merge_needs_the_merge_permission(pair, world, persona, allowed):
    actor = getattr(world, persona)
    if allowed:
        merge(pair.keep, pair.dupe, actor=actor, source="admin")
        assert MergeRecord.objects.get().merged_by == actor
    else:
        with pytest.raises(PermissionDenied):
            merge(pair.keep, pair.dupe, actor=actor, source="admin")


def test_merge_closes_the_losers_open_pairs_and_undo_reopens_them(pair):
    other = make_partner("Burbank Boys Club")
    ids = sorted([pair.dupe.pk, other.pk])
    open_pair = DuplicateCandidate.objects.create(
        left_id=ids[0], right_id=ids[1], score=75, level="possible", reasons=[]
    )
    dismissed = DuplicateCandidate.objects.create(
        left=pair.keep,
        right=pair.dupe,
        score=90,
        level="likely",
        reasons=[],
        status=CandidateStatus.NOT_DUPLICATE,
    )
    record = merge(pair.keep, pair.dupe)
    open_pair.refresh_from_db()
    dismissed.refresh_from_db()
    assert open_pair.status == CandidateStatus.MERGED
    assert dismissed.status == CandidateStatus.NOT_DUPLICATE
    partner_merge_undo(merge=record, **SYSTEM)
    open_pair.refresh_from_db()
    assert open_pair.status == CandidateStatus.OPEN and open_pair.decided_at is None


def test_registry_rules_match_what_the_merge_does():
    from crm.services.merge import M2M_FIELDS, MOVE, MOVED_MODELS, UNION

    moved = {model._meta.label for model in MOVED_MODELS.values()}
    for key, rule in RELATION_RULES.items():
        if rule == MOVE:
            assert key.removeprefix("<- ").rsplit(".", 1)[0] in moved, key
        if rule == UNION:
            assert key.rsplit(".", 1)[1] in M2M_FIELDS, key
