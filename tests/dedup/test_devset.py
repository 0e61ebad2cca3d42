"""The matcher meets its targets on the labelled development set (LIKELY level)."""

from devset_eval import judge, measure


def test_devset_precision_and_recall_at_likely() -> None:
    judged = judge()
    assert len(judged) >= 400
    likely = measure(judged, likely_only=True)
    either = measure(judged, likely_only=False)
    print(f"\nLIKELY precision {likely.precision:.3f} recall {likely.recall:.3f}")
    print(f"LIKELY+POSSIBLE precision {either.precision:.3f} recall {either.recall:.3f}")
    assert likely.precision >= 0.95
    assert likely.recall >= 0.90
    assert either.recall >= likely.recall
