"""Wagtail's own endpoints that take a model and an id follow the same school scoping as ours:
another school's event or referral is 404 and nothing is written.
"""

import pytest
from django.urls import reverse
from wagtail.admin.models import EditingSession
from wagtail.permissions import policy_registry

from crm.models import Event, Referral


def _ping(record, session_id=0):
    return reverse(
        "wagtailadmin_editing_sessions:ping",
        args=[record._meta.app_label, record._meta.model_name, str(record.pk), session_id],
    )


@pytest.mark.parametrize("record", ["g_ref", "g_event"])
def test_editing_session_ping_on_another_schools_record_is_404_and_writes_nothing(
    schools, login, record
):
    client = login(schools.world.cora)
    response = client.post(_ping(getattr(schools, record)))
    assert response.status_code == 404
    assert not EditingSession.objects.exists()


@pytest.mark.parametrize("persona", ["pat", "lee"])
def test_editing_session_ping_on_a_referral_is_404_for_roles_without_referral_rows(
    schools, login, persona
):
    client = login(getattr(schools.world, persona))
    assert client.post(_ping(schools.r_ref)).status_code == 404
    assert not EditingSession.objects.exists()


def test_editing_session_ping_on_own_schools_referral_works(schools, login):
    client = login(schools.world.cora)
    assert client.post(_ping(schools.r_ref)).status_code == 200
    assert EditingSession.objects.filter(user=schools.world.cora).count() == 1


def test_administrator_may_ping_any_schools_referral(schools, login):
    assert login(schools.world.ana).post(_ping(schools.g_ref)).status_code == 200


@pytest.mark.parametrize(
    ("model", "visible", "hidden"), [(Referral, "r_ref", "g_ref"), (Event, "r_event", "g_event")]
)
def test_the_registered_permission_policy_scopes_instances_by_school(
    schools, model, visible, hidden
):
    policy = policy_registry.get_by_type(model, fallback=False)
    cora = schools.world.cora
    assert policy.user_has_permission_for_instance(cora, "change", getattr(schools, visible))
    assert not policy.user_has_permission_for_instance(cora, "change", getattr(schools, hidden))
    pks = set(policy.instances_user_has_permission_for(cora, "change").values_list("pk", flat=True))
    assert pks == {getattr(schools, visible).pk}
