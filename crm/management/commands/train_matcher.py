"""`manage.py train_matcher`: re-estimate the duplicate matcher's model and store a new version.

u comes from random pairs of live partners; staff decisions in the review queue count as known
matches and non-matches for m; --em re-estimates m by EM over candidate pairs as well.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from crm.dedup.levels import COMPARISONS
from crm.dedup.model import MatchModel
from crm.services.matcher import matcher_train


class Command(BaseCommand):
    help = "Re-estimate the duplicate matcher's model from the live partners and staff decisions."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=int, default=150_000, help="pairs sampled per step")
        parser.add_argument(
            "--em", action="store_true", help="also re-estimate m by EM over candidate pairs"
        )

    def handle(self, *args, **options):
        bars: dict[str, tqdm] = {}
        quiet = options["verbosity"] < 1

        def progress(step: str, done: int, total: int) -> None:
            bar = bars.get(step)
            if bar is None:
                bar = bars[step] = tqdm(
                    total=total, desc=step, unit="pair", disable=quiet, file=self.stderr
                )
            bar.n = done
            bar.refresh()

        try:
            row = matcher_train(
                actor=None,
                source="command",
                progress=progress,
                candidate_sample=options["pairs"],
                random_sample=options["pairs"],
                em=options["em"],
            )
        finally:
            for bar in bars.values():
                bar.close()
        model = MatchModel.from_dict(row.params)
        self.stdout.write(
            f"Matcher model v{row.version}: {row.record_count} partners, "
            f"{row.decision_count} staff decisions, prior {model.prior_weight:+.1f} bits."
        )
        for i, comparison in enumerate(COMPARISONS):
            weights = ", ".join(
                f"{label} {model.weight(i, j):+.1f}" for j, label in enumerate(comparison.levels)
            )
            self.stdout.write(f"  {comparison.title}: {weights}")
