"""The matcher model in force: the newest trained version, or the shipped default."""

from __future__ import annotations

import threading

from django.conf import settings

from crm.dedup.model import MatchModel, default_model
from crm.models import MatcherModel

_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "model": None}


def matcher_model_row() -> MatcherModel | None:
    """The newest stored model, if any was trained."""
    return MatcherModel.objects.order_by("-version").first()


def current_matcher_model() -> MatchModel:
    """Parameters of the newest stored version (default when none), with the LIKELY/POSSIBLE
    thresholds from settings. One small query per call; params are parsed once per version."""
    version = MatcherModel.objects.order_by("-version").values_list("version", flat=True).first()
    with _lock:
        if _cache["model"] is None or _cache["version"] != version:
            if version is None:
                model = default_model()
            else:
                row = MatcherModel.objects.get(version=version)
                model = MatchModel.from_dict(row.params)
            _cache["model"] = model.with_thresholds(
                likely_at=settings.MATCH_LIKELY_PROBABILITY,
                possible_at=settings.MATCH_POSSIBLE_PROBABILITY,
            )
            _cache["version"] = version
        return _cache["model"]  # type: ignore[return-value]


def matcher_model_clear() -> None:
    """Forget the parsed model (tests that roll back between cases)."""
    with _lock:
        _cache["version"] = None
        _cache["model"] = None
