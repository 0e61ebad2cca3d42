"""The matcher model in force: the newest trained version, or the shipped default."""

from __future__ import annotations

from django.conf import settings

from crm.dedup.model import MatchModel, default_model
from crm.models import MatcherModel
from crm.selectors.process_cache import StampedCache

_model: StampedCache[MatchModel] = StampedCache()


def matcher_model_row() -> MatcherModel | None:
    """The newest stored model, if any was trained."""
    return MatcherModel.objects.order_by("-version").first()


def _load(version: int | None) -> MatchModel:
    if version is None:
        model = default_model()
    else:
        model = MatchModel.from_dict(MatcherModel.objects.get(version=version).params)
    return model.with_thresholds(
        likely_at=settings.MATCH_LIKELY_PROBABILITY,
        possible_at=settings.MATCH_POSSIBLE_PROBABILITY,
    )


def current_matcher_model() -> MatchModel:
    """Parameters of the newest stored version (default when none), with the LIKELY/POSSIBLE
    thresholds from settings. One small query per call; params are parsed once per version."""
    version = MatcherModel.objects.order_by("-version").values_list("version", flat=True).first()
    return _model.get(version, lambda: _load(version))


def matcher_model_clear() -> None:
    """Forget the parsed model (tests that roll back between cases)."""
    _model.clear()
