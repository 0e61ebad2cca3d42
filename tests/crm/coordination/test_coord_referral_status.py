"""Referral status changes from the admin: allowed moves only, reasons and outcomes, and stale
forms that get a conflict message instead of silently overwriting someone else's change.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from crm.models import ReferralStatus
from crm.services.referrals import CLOSED_STATUSES, TRANSITIONS, referral_status_change

S = ReferralStatus

ALLOWED = [(src, dst) for src, targets in TRANSITIONS.items() for dst in sorted(targets)]
REFUSED = [
    (S.REFERRED, S.IN_SERVICE),
    (S.REFERRED, S.COMPLETED),
    (S.ACCEPTED, S.COMPLETED),
    (S.IN_SERVICE, S.ACCEPTED),
    (S.COMPLETED, S.ACCEPTED),
    (S.DECLINED, S.REFERRED),
]
PATH_TO = {
    S.REFERRED: [],
    S.ACCEPTED: [S.ACCEPTED],
    S.IN_SERVICE: [S.ACCEPTED, S.IN_SERVICE],
    S.COMPLETED: [S.ACCEPTED, S.IN_SERVICE, S.COMPLETED],
    S.DECLINED: [S.DECLINED],
}


def _walk(referral, statuses):
    for status in statuses:
        referral = referral_status_change(
            referral=referral,
            to_status=status,
            reason="moving on",
            outcome="done",
            changed_on=dt.date(2024, 11, 1),
            actor=None,
            source="command",
        )
    return referral


def _post(client, referral, to_status, **extra):
    data = {
        "to_status": to_status,
        "changed_on": "2024-11-05",
        "reason": "Family asked",
        "outcome": "Connected to services",
        "version": referral.version,
        **extra,
    }
    return client.post(reverse("referral:status", args=[referral.pk]), data)


@pytest.mark.parametrize(("src", "dst"), [p for p in ALLOWED if p[0] in PATH_TO])
def test_allowed_transitions_through_the_status_page(schools, login, src, dst):
    referral = _walk(schools.r_ref, PATH_TO[src])
    response = _post(login(schools.world.cora), referral, dst)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == dst
    change = referral.status_changes.last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        src,
        dst,
        schools.world.cora,
    )
    assert change.changed_on == dt.date(2024, 11, 5) and change.reason == "Family asked"


@pytest.mark.parametrize(("src", "dst"), REFUSED)
def test_refused_transitions_change_nothing(schools, login, src, dst):
    referral = _walk(schools.r_ref, PATH_TO[src])
    before = (referral.status, referral.version, referral.status_changes.count())
    response = _post(login(schools.world.cora), referral, dst)
    assert response.status_code == 200
    assert "to_status" in response.context["form"].errors
    referral.refresh_from_db()
    assert (referral.status, referral.version, referral.status_changes.count()) == before
    with pytest.raises(ValidationError, match="cannot go from"):
        referral_status_change(referral=referral, to_status=dst, actor=None, source="command")


def test_the_page_offers_only_allowed_moves(schools, login):
    response = login(schools.world.cora).get(reverse("referral:status", args=[schools.r_ref.pk]))
    offered = {value for value, _ in response.context["form"].fields["to_status"].choices}
    assert offered == set(TRANSITIONS[S.REFERRED])


def test_closing_needs_an_outcome(schools, login):
    response = _post(login(schools.world.cora), schools.r_ref, S.DECLINED, outcome="")
    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors
    schools.r_ref.refresh_from_db()
    assert schools.r_ref.status == S.REFERRED


def test_the_page_shows_each_refusal_of_the_service_on_its_field(schools, login):
    response = _post(login(schools.world.cora), schools.r_ref, S.DECLINED, reason="", outcome="")
    assert response.status_code == 200
    assert {"reason", "outcome"} <= set(response.context["form"].errors)


@pytest.mark.parametrize(
    ("src", "dst"), [(s, d) for s, d in ALLOWED if d in CLOSED_STATUSES and s in PATH_TO]
)
def test_the_service_refuses_to_close_without_an_outcome(schools, src, dst):
    referral = schools.r_ref
    for step in PATH_TO[src]:
        referral = referral_status_change(
            referral=referral, to_status=step, actor=None, source="command"
        )
    before = (referral.status, referral.version, referral.status_changes.count())
    with pytest.raises(ValidationError) as refused:
        referral_status_change(
            referral=referral,
            to_status=dst,
            reason="Family moved",
            outcome="  ",
            actor=schools.world.cora,
            source="api",
        )
    assert refused.value.message_dict == {
        "outcome": ["Record the outcome when closing a referral."]
    }
    referral.refresh_from_db()
    assert (referral.status, referral.version, referral.status_changes.count()) == before


def test_an_outcome_recorded_earlier_lets_the_service_close(schools):
    referral = referral_status_change(
        referral=schools.r_ref,
        to_status=S.ACCEPTED,
        outcome="Intake booked",
        actor=None,
        source="command",
    )
    closed = referral_status_change(
        referral=referral,
        to_status=S.NO_LONGER_INTERESTED,
        reason="Family moved",
        actor=None,
        source="command",
    )
    assert (closed.status, closed.outcome) == (S.NO_LONGER_INTERESTED, "Intake booked")


def test_closing_without_completing_needs_a_reason(schools, login):
    response = _post(login(schools.world.cora), schools.r_ref, S.NO_CAPACITY, reason="")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors


def test_outcome_is_recorded_at_closure(schools, login):
    referral = _walk(schools.r_ref, [S.ACCEPTED, S.IN_SERVICE])
    _post(login(schools.world.cora), referral, S.COMPLETED, outcome="Enrolled in food program")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (S.COMPLETED, "Enrolled in food program")


def _edit_data(referral, **changes):
    data = {
        "grade": referral.grade,
        "need_category": referral.need_category,
        "partner": referral.partner_id,
        "contact_preference": referral.contact_preference,
        "notes": referral.notes,
        "follow_up_on": "",
        "consent_date": "",
    }
    return {**data, **changes}


def test_stale_edit_form_gets_a_conflict_and_overwrites_nothing(schools, login, client):
    referral = schools.r_ref
    url = reverse("referral:edit", args=[referral.pk])
    client = login(schools.world.cora)
    first = client.get(url).context["form"]
    second = client.get(url).context["form"]
    assert first["version"].value() == second["version"].value() == referral.version

    saved = client.post(url, _edit_data(referral, notes="Mom prefers mornings", version=1))
    assert saved.status_code == 302
    stale = client.post(url, _edit_data(referral, notes="Call after 5pm", version=1))
    assert stale.status_code == 200
    errors = stale.context["form"].non_field_errors()
    assert any("Someone else changed this referral" in e for e in errors)
    referral.refresh_from_db()
    assert (referral.notes, referral.version) == ("Mom prefers mornings", 2)


def test_stale_status_form_gets_a_conflict(schools, login):
    client = login(schools.world.cora)
    referral = schools.r_ref
    assert _post(client, referral, S.ACCEPTED, version=1).status_code == 302
    response = _post(client, referral, S.DECLINED, version=1)
    assert response.status_code == 200
    assert any("Someone else changed" in e for e in response.context["form"].non_field_errors())
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED


def test_closed_referral_offers_no_status_form(schools, login):
    referral = _walk(schools.r_ref, PATH_TO[S.DECLINED])
    response = login(schools.world.cora).get(reverse("referral:status", args=[referral.pk]))
    assert b"This referral is closed" in response.content
