"""The matcher model is trained from the partners and staff decisions, stored, and shown."""

from __future__ import annotations

from django.core.management import call_command
from django.urls import reverse

from crm.dedup.levels import PHONE
from crm.dedup.model import MatchModel, default_model
from crm.models import AuditEntry, CandidateStatus, DuplicateCandidate, MatcherModel
from crm.selectors.matcher import current_matcher_model
from crm.selectors.partners import partner_index, partner_index_clear
from tests.factories import make_partner

NAMES = [
    "Harbor Community Food Bank",
    "Eastside Family Resource Center",
    "Tlaloc Youth Arts Collective",
    "Venice Family Clinic",
    "Heart of Los Angeles",
    "Boys & Girls Club of Burbank",
]


def _partners():
    out = []
    for i, name in enumerate(NAMES):
        out.append(make_partner(name, phone=f"(213) 48{i}-10{i}0", zip=f"900{i:02d}"))
    out.append(make_partner("Harbor Community Foodbank", phone="(213) 480-1000", zip="90000"))
    return out


def test_train_matcher_stores_a_new_version_used_by_the_live_index(db, capsys):
    partners = _partners()
    left, right = sorted((partners[0].pk, partners[-1].pk))
    DuplicateCandidate.objects.create(
        left_id=left, right_id=right, score=99, level="likely", status=CandidateStatus.MERGED
    )
    partner_index_clear()
    assert current_matcher_model().source == "default"
    call_command("train_matcher", "--pairs", "2000", verbosity=0)
    row = MatcherModel.objects.get()
    assert (row.version, row.record_count, row.decision_count) == (1, len(partners), 1)
    assert "Matcher model v1" in capsys.readouterr().out
    model = current_matcher_model()
    assert model.source == "trained" and model.trained_on == len(partners)
    assert model.weight(PHONE, 0) > 0
    assert partner_index().model == model
    assert AuditEntry.objects.filter(action="matcher.train", object_id=str(row.pk)).exists()
    call_command("train_matcher", "--pairs", "2000", "--em", verbosity=0)
    assert MatcherModel.objects.count() == 2
    assert current_matcher_model().trained_on == len(partners)
    partner_index_clear()


def test_thresholds_come_from_settings(db, settings):
    settings.MATCH_LIKELY_PROBABILITY = 0.99
    settings.MATCH_POSSIBLE_PROBABILITY = 0.6
    partner_index_clear()
    model = current_matcher_model()
    assert (model.likely_at, model.possible_at) == (0.99, 0.6)
    assert model.weights() == default_model().weights()
    partner_index_clear()


def test_the_admin_page_shows_each_comparison_with_its_weights(world, client):
    partner_index_clear()
    client.force_login(world.pat)
    page = client.get(reverse("crm_matcher_model")).content.decode()
    model = current_matcher_model()
    assert "shipped defaults" in page
    assert "Street address" in page and "same phone" in page
    assert MatchModel.from_dict(model.to_dict()).weights() == model.weights()
    client.force_login(world.cora)
    assert client.get(reverse("crm_matcher_model")).status_code in (302, 403)
