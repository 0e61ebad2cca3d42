"""The Fellegi-Sunter model: one level function for training and scoring, signed evidence."""

import csv
from pathlib import Path

import numpy as np
import pytest

from crm.dedup import LIKELY, MatchIndex, Record
from crm.dedup.judge import compare
from crm.dedup.levels import ADDRESS, COMPARISONS, NAME, NULL, PHONE, comparison_levels
from crm.dedup.model import MatchModel, default_model
from crm.dedup.score import build_profile
from crm.dedup.train import levels_matrix, run_em, train

LA_SET = Path(__file__).resolve().parents[2] / "fixtures" / "dedup_la_sites.csv"


def _records(limit: int) -> list[Record]:
    with LA_SET.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["split"] == "dev"][:limit]
    return [
        Record(
            r["record_id"],
            r["name"],
            website=r["website"],
            phone=r["phone"],
            street=r["street"],
            zip=r["zip"],
        )
        for r in rows
    ]


def test_training_and_scoring_compute_the_same_levels_for_the_same_pairs() -> None:
    records = _records(400)
    index = MatchIndex(records)
    profiles = [index.profile_at(s) for s in range(index.slot_count())]
    lo, hi, _ = index.candidate_pairs(block_cap=64)
    rng = np.random.default_rng(3)
    pairs = [(profiles[i], profiles[j]) for i, j in zip(lo.tolist(), hi.tolist(), strict=True)]
    pairs += [(profiles[i], profiles[j]) for i, j in rng.integers(0, len(profiles), (300, 2))]
    trained = levels_matrix(pairs)
    compared = 0
    for row, (a, b) in zip(trained, pairs, strict=True):
        quick = comparison_levels(a, b, quick=True)
        # Scoring may drop a pair early; whatever it keeps has the levels training saw.
        if quick is not None:
            compared += 1
            assert quick.codes == tuple(row.tolist())
    assert compared > 100


def test_a_model_survives_storage_and_explains_each_level() -> None:
    model = default_model()
    again = MatchModel.from_dict(model.to_dict())
    assert again.weights() == model.weights()
    assert again.prior == model.prior
    assert len(model.weights()) == len(COMPARISONS)
    assert model.weight(PHONE, NULL) == 0.0
    assert model.weight(PHONE, 0) > 0 > model.weight(PHONE, 2)


def test_fields_outvote_a_partial_name() -> None:
    # Same phone and same house number and ZIP: one school entered under two spellings.
    a = Record(1, "Marlowe", phone="(562) 868-7901", street="11929 Ada Ave", zip="90650")
    b = Record(
        2,
        "Norwalk-La Mirada USD Marlowe, Ada K. Elementary",
        phone="562-868-7901",
        street="11929 Ada Avenue, Room 4",
        zip="90650-1234",
    )
    found = MatchIndex([b]).query(a)
    assert found and found[0].level == LIKELY
    assert any(r.startswith("same phone +") for r in found[0].reasons)


def test_sites_of_one_organization_are_not_duplicates() -> None:
    a = Record(
        1, "Boys & Girls Club", phone="(626) 449-9700", street="3525 E Colorado Blvd", zip="91107"
    )
    b = Record(
        2, "Boys & Girls Club", phone="(818) 842-9333", street="300 E Tujunga Ave", zip="91502"
    )
    verdict = compare(build_profile(a), build_profile(b), floor=None)
    assert verdict.level is None
    assert any(r.startswith("street addresses differ −") for r in verdict.reasons)
    assert any(r.startswith("different phones −") for r in verdict.reasons)


def test_compound_names_match_on_their_partner_part() -> None:
    a = Record(1, "Youth Arts Project powered by Community Partners")
    b = Record(2, "Youth Arts Project")
    found = MatchIndex([b]).query(a)
    assert found and "one part of a compound name" in found[0].reasons[0]


def test_em_recovers_planted_parameters() -> None:
    rng = np.random.default_rng(5)
    model = default_model()
    n, share = 20000, 0.1
    is_match = rng.random(n) < share
    matrix = np.full((n, len(COMPARISONS)), NULL, dtype=np.int8)
    for c in (NAME, PHONE, ADDRESS):
        for i in range(n):
            probs = np.asarray(model.m[c] if is_match[i] else model.u[c])
            matrix[i, c] = rng.choice(len(probs), p=probs / probs.sum())
    m, prior, _ = run_em(matrix, u=model.u, m=model.u, prior=0.5, iterations=60, strength=1.0)
    assert prior == pytest.approx(share, abs=0.02)
    assert m[PHONE][0] == pytest.approx(model.m[PHONE][0], abs=0.05)


def test_training_on_records_gives_a_usable_model() -> None:
    records = _records(600)
    decisions = [(records[0], records[0], True)]
    model = train(records, decisions=decisions, candidate_sample=5000, random_sample=5000, em=True)
    assert model.source == "trained" and model.trained_on == len(records)
    assert model.weight(PHONE, 0) > 0
    assert model.notes["decisions"] == 1
    index = MatchIndex(records, model=model)
    assert index.query(records[1], limit=1) is not None


@pytest.mark.parametrize(
    "text", ["(213) 614-1745", "213.614.1745", "2136141745", "213 614 1745", "+1 213 614 1745"]
)
def test_plain_numbers_read_as_phonenumbers_reads_them(text: str) -> None:
    import phonenumbers

    from crm.dedup.fields import parse_phone

    assert parse_phone(text).number == str(phonenumbers.parse(text, "US").national_number)
