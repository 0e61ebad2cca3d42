"""Estimate the shipped default model (crm/dedup/default_model.json) from development data only.

m: level frequencies of the labelled duplicates (fixtures/dedup_devset.csv and the `dev` half
of fixtures/dedup_la_sites.csv); u: level frequencies of random pairs of those records; prior:
the share of duplicates among the candidate pairs the index retrieves on the LA dev half.
The LIKELY and POSSIBLE thresholds are chosen on the same dev data and printed with P/R.
Run `.venv/bin/python tests/dedup/fit_default_model.py [--write]`. The held-out half is never
read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (ROOT, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from cluster_eval import LA_SET, load, truth_pairs  # noqa: E402
from devset_eval import DEVSET, _side  # noqa: E402

from crm.dedup.index import MatchIndex  # noqa: E402
from crm.dedup.model import DEFAULT_PATH, MatchModel  # noqa: E402
from crm.dedup.record import Record  # noqa: E402
from crm.dedup.score import build_profile  # noqa: E402
from crm.dedup.train import (  # noqa: E402
    _frequencies,
    estimate_u,
    exact_not_below_near,
    joint_m,
    joint_u,
    levels_matrix,
)

SEED = 7
# Starting guesses for m (share of duplicates per level), counted as a few pseudo-pairs, so a
# level the labelled data never shows keeps a sensible weight instead of zero.
GUESS_M = (
    (0.45, 0.15, 0.04, 0.03, 0.08, 0.03, 0.05, 0.02, 0.06, 0.02, 0.02, 0.005, 0.03, 0.015),
    (0.8, 0.2),
    (0.9, 0.1),
    (0.9, 0.05, 0.05),
    (0.8, 0.05, 0.15),
    (0.75, 0.05, 0.03, 0.02, 0.15),
    (0.9, 0.1),
)


def _records(rows: list[dict]) -> list[Record]:
    return [
        Record(
            r["id"],
            r["name"],
            website=r["website"],
            phone=r["phone"],
            street=r["street"],
            zip=r["zip"],
        )
        for r in rows
    ]


def main(argv: list[str]) -> None:
    import csv

    rng = np.random.default_rng(SEED)
    la_rows = load("la", LA_SET, "dev")
    la = _records(la_rows)
    with DEVSET.open(encoding="utf-8-sig", newline="") as handle:
        dev_rows = list(csv.DictReader(handle))
    dev_pairs = [
        (
            build_profile(_side(r, "left", f"L{i}")),
            build_profile(_side(r, "right", f"R{i}")),
            r["is_duplicate"] == "1",
        )
        for i, r in enumerate(dev_rows)
    ]
    index = MatchIndex(la)
    slot_of = {index.profile_at(s).record.id: s for s in range(index.slot_count())}
    truth = truth_pairs(la_rows)
    la_matches = [
        (index.profile_at(slot_of[a]), index.profile_at(slot_of[b]))
        for a, b in (sorted(p) for p in truth)
    ]
    matches = la_matches + [(a, b) for a, b, dup in dev_pairs if dup]
    profiles = [index.profile_at(s) for s in range(index.slot_count())]
    profiles += [p for a, b, _ in dev_pairs for p in (a, b)]
    left = rng.integers(0, len(profiles), 200_000)
    right = rng.integers(0, len(profiles), 200_000)
    randoms = [(profiles[i], profiles[j]) for i, j in zip(left, right, strict=True) if i != j]
    u = estimate_u(levels_matrix(randoms))
    # No record here has aliases: an alias is a name, so it borrows the name's u.
    u = (u[0], (u[0][0], u[0][1]), *u[2:])
    match_levels = levels_matrix(matches)
    m = _frequencies(match_levels, np.ones(len(matches)), GUESS_M)
    u = exact_not_below_near(m, u)
    m_joint = joint_m(match_levels, np.ones(len(matches)))
    u_joint = joint_u(profiles)
    lo, hi, _ = index.candidate_pairs(block_cap=64)
    ids = [(profiles[i].record.id, profiles[j].record.id) for i, j in zip(lo, hi, strict=True)]
    prior = sum(frozenset(p) in truth for p in ids) / max(1, len(ids))
    print(
        f"{len(matches)} labelled duplicates, {len(randoms)} random pairs, "
        f"{len(ids)} candidate pairs on LA dev, prior {prior:.4f}"
    )
    model = MatchModel(
        m=m,
        u=u,
        prior=prior,
        source="default",
        trained_on=len(profiles),
        joint_m=m_joint,
        joint_u=u_joint,
        notes={
            "fitted_by": "tests/dedup/fit_default_model.py",
            "labelled_duplicates": len(matches),
        },
    )
    from cluster_eval import prf

    from crm.dedup.match import scan

    pairs = scan(MatchIndex(la, model=model.with_thresholds(likely_at=0.01, possible_at=0.01)))
    labelled = [(p.probability, frozenset((p.left_id, p.right_id)) in truth) for p in pairs]
    from crm.dedup.judge import compare

    dev_scored = []
    for a, b, dup in dev_pairs:
        verdict = compare(a, b, model=model, floor=None)
        dev_scored.append((verdict.probability if verdict else 0.0, dup))
    print("threshold  LA-dev P/R/F1            devset P/R/F1")
    best = (0.0, 0.5)
    for t in (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999):
        found = {frozenset((p.left_id, p.right_id)) for p in pairs if p.probability >= t}
        la_p, la_r, la_f = prf(found, truth)
        tp = sum(1 for prob, dup in dev_scored if prob >= t and dup)
        fp = sum(1 for prob, dup in dev_scored if prob >= t and not dup)
        fn = sum(1 for prob, dup in dev_scored if prob < t and dup)
        d_p, d_r = tp / max(1, tp + fp), tp / max(1, tp + fn)
        d_f = 2 * d_p * d_r / max(1e-9, d_p + d_r)
        print(f"{t:9.3f}  {la_p:.3f} {la_r:.3f} {la_f:.3f}      {d_p:.3f} {d_r:.3f} {d_f:.3f}")
        best = max(best, (la_f + d_f, t))
    del labelled
    likely_at = best[1]
    model = model.with_thresholds(likely_at=likely_at, possible_at=min(0.5, likely_at))
    print(f"chosen LIKELY at {model.likely_at}, POSSIBLE at {model.possible_at}")
    if "--write" in argv:
        DEFAULT_PATH.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {DEFAULT_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
