"""duplicate_queue_refresh and `manage.py find_duplicates` without --csv."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from crm.models import AuditEntry, CandidateStatus, DuplicateCandidate, Partner
from crm.services.dedup import (
    duplicate_candidate_dismiss,
    duplicate_candidate_skip,
    duplicate_queue_refresh,
)
from crm.services.merge import partner_merge
from crm.services.partners import partner_update
from tests.factories import make_partner

SYSTEM = {"actor": None, "source": "command"}


@pytest.fixture
def orgs(world):
    return {
        "bgc": make_partner("Boys & Girls Club of Burbank", website="bgcburbank.org"),
        "bgc2": make_partner("Boys and Girls Club of Burbank Inc", website="www.bgcburbank.org"),
        "food": make_partner("Los Angeles Regional Food Bank"),
        "food2": make_partner("LA Regional Food Bank"),
        "arts": make_partner("Totally Different Arts Collective"),
    }


def pairs() -> dict[tuple[int, int], DuplicateCandidate]:
    return {(c.left_id, c.right_id): c for c in DuplicateCandidate.objects.all()}


def key(a: Partner, b: Partner) -> tuple[int, int]:
    return tuple(sorted((a.pk, b.pk)))


def test_refresh_inserts_ordered_pairs_with_reasons(orgs):
    summary = duplicate_queue_refresh(**SYSTEM)
    found = pairs()
    assert key(orgs["bgc"], orgs["bgc2"]) in found
    assert key(orgs["food"], orgs["food2"]) in found
    assert not any(orgs["arts"].pk in k for k in found)
    assert all(left < right for left, right in found)
    bgc = found[key(orgs["bgc"], orgs["bgc2"])]
    assert bgc.level == "likely" and bgc.reasons and bgc.status == CandidateStatus.OPEN
    assert summary.inserted == len(found) == summary.pairs_found
    assert summary.partners == 5
    assert AuditEntry.objects.get(action="duplicates.refresh").changes["inserted"] == len(found)


def test_second_refresh_changes_nothing(orgs):
    duplicate_queue_refresh(**SYSTEM)
    first = {k: (c.pk, c.score, c.reasons) for k, c in pairs().items()}
    summary = duplicate_queue_refresh(**SYSTEM)
    assert {k: (c.pk, c.score, c.reasons) for k, c in pairs().items()} == first
    assert summary.inserted == summary.updated == 0
    assert summary.unchanged == len(first)


def test_refresh_updates_score_and_reasons_of_open_pairs(orgs):
    duplicate_queue_refresh(**SYSTEM)
    candidate = pairs()[key(orgs["food"], orgs["food2"])]
    DuplicateCandidate.objects.filter(pk=candidate.pk).update(score=1, reasons=["stale"])
    summary = duplicate_queue_refresh(**SYSTEM)
    candidate.refresh_from_db()
    assert candidate.score > 1 and candidate.reasons != ["stale"]
    assert summary.updated == 1


def test_not_a_duplicate_is_never_reopened(orgs, world):
    duplicate_queue_refresh(**SYSTEM)
    candidate = pairs()[key(orgs["food"], orgs["food2"])]
    duplicate_candidate_dismiss(candidate=candidate, actor=world.pat, source="admin")
    summary = duplicate_queue_refresh(**SYSTEM)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.NOT_DUPLICATE
    assert candidate.decided_by == world.pat
    assert summary.kept_not_duplicate == 1
    with pytest.raises(ValidationError, match="already decided"):
        duplicate_candidate_skip(candidate=candidate, actor=world.pat, source="admin")


def test_skipped_pairs_come_back_on_the_next_scan(orgs, world):
    duplicate_queue_refresh(**SYSTEM)
    candidate = pairs()[key(orgs["food"], orgs["food2"])]
    duplicate_candidate_skip(candidate=candidate, actor=world.pat, source="admin")
    summary = duplicate_queue_refresh(**SYSTEM)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN
    assert summary.reopened == 1


def test_pairs_of_a_merged_partner_are_closed(orgs):
    duplicate_queue_refresh(**SYSTEM)
    other = DuplicateCandidate.objects.get(
        left_id=key(orgs["food"], orgs["food2"])[0], right_id=key(orgs["food"], orgs["food2"])[1]
    )
    # A merge done elsewhere: its own pairs were closed by the merge; fake an older queue row.
    partner_merge(survivor=orgs["food"], loser=orgs["food2"], field_choices={}, **SYSTEM)
    other.refresh_from_db()
    assert other.status == CandidateStatus.MERGED
    DuplicateCandidate.objects.filter(pk=other.pk).update(status=CandidateStatus.OPEN)
    summary = duplicate_queue_refresh(**SYSTEM)
    other.refresh_from_db()
    assert other.status == CandidateStatus.MERGED
    assert summary.closed_merged == 1


def test_pairs_no_longer_flagged_are_withdrawn(orgs):
    duplicate_queue_refresh(**SYSTEM)
    partner_update(partner=orgs["food2"], data={"name": "Westside Chess Academy"}, **SYSTEM)
    summary = duplicate_queue_refresh(**SYSTEM)
    assert key(orgs["food"], orgs["food2"]) not in pairs()
    assert summary.withdrawn == 1


@pytest.mark.parametrize("persona", ["cora", "lee", "omar"])
def test_refresh_needs_the_review_permission(orgs, world, persona):
    with pytest.raises(PermissionDenied):
        duplicate_queue_refresh(actor=getattr(world, persona), source="admin")
    assert not DuplicateCandidate.objects.exists()


def test_command_fills_the_queue_and_prints_a_summary(orgs):
    out, err = io.StringIO(), io.StringIO()
    call_command("find_duplicates", stdout=out, stderr=err)
    assert "Scanned 5 live partners" in out.getvalue()
    assert f"{DuplicateCandidate.objects.count()} new" in out.getvalue()
    assert "pair" in err.getvalue()  # the tqdm bar goes to stderr
    call_command("find_duplicates", stdout=out, stderr=err, verbosity=0)
    assert "0 new" in out.getvalue()


def test_command_refuses_spreadsheet_options_without_csv(db):
    with pytest.raises(CommandError, match="only work with --csv"):
        call_command("find_duplicates", output="pairs.csv", verbosity=0)


def test_command_spreadsheet_mode_still_needs_its_columns(tmp_path):
    source = tmp_path / "orgs.csv"
    source.write_text("ID,Name\n1,Acme\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--name-column, --output"):
        call_command("find_duplicates", csv=str(source), id_column="ID", verbosity=0)


def test_not_a_duplicate_survives_a_merge_of_one_side(world):
    a = make_partner("Harbor Youth Services")
    b = make_partner("Harbor Youth Services West")
    duplicate_queue_refresh(**SYSTEM)
    ab = DuplicateCandidate.objects.get(left=a, right=b)
    duplicate_candidate_dismiss(candidate=ab, **SYSTEM)
    a2 = make_partner("Harbor Youth Services Inc")
    # a is merged away into a2: the matcher now pairs a2 with b, a question already answered.
    partner_merge(survivor=a2, loser=a, field_choices={}, **SYSTEM)
    summary = duplicate_queue_refresh(**SYSTEM)
    assert not DuplicateCandidate.objects.filter(left=b, right=a2).exists()
    assert summary.kept_not_duplicate == 1
    assert summary.inserted == 0
