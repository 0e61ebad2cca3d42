"""Every view of a referral's detail and every export of referrals is logged; only an
administrator can list who saw one student's referrals.
"""

import pytest
from django.urls import reverse

from crm.models import ReferralDisclosure
from crm.services.disclosures import disclosure_record
from tests.crm.coordination.coord_helpers import denied
from tests.factories import make_referral


@pytest.mark.parametrize(
    ("url_name", "detail"), [("referral:inspect", "detail view"), ("referral:edit", "edit form")]
)
def test_viewing_a_referral_logs_a_disclosure(schools, login, url_name, detail):
    referral = schools.r_ref
    assert login(schools.world.cora).get(reverse(url_name, args=[referral.pk])).status_code == 200
    entry = ReferralDisclosure.objects.get()
    assert (entry.user, entry.action, entry.referral, entry.student_ref) == (
        schools.world.cora,
        ReferralDisclosure.VIEW,
        referral,
        "ROOS-1001",
    )
    assert detail in entry.detail and entry.at is not None


def test_a_refused_view_logs_nothing(schools, login):
    login(schools.world.cora).get(reverse("referral:inspect", args=[schools.g_ref.pk]))
    assert not ReferralDisclosure.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_logs_one_disclosure_per_exported_referral(schools, login, fmt):
    second = make_referral(schools.world.roosevelt, schools.clinic, student_ref="ROOS-1002")
    response = login(schools.world.cora).get(reverse("referral:index"), {"export": fmt})
    assert response.status_code == 200
    entries = ReferralDisclosure.objects.filter(action=ReferralDisclosure.EXPORT)
    assert {(e.referral_id, e.student_ref) for e in entries} == {
        (schools.r_ref.pk, "ROOS-1001"),
        (second.pk, "ROOS-1002"),
    }
    assert all(e.user == schools.world.cora and fmt in e.detail for e in entries)


def test_a_filtered_export_logs_only_the_rows_it_holds(schools, login):
    make_referral(schools.world.roosevelt, schools.clinic, student_ref="ROOS-1002")
    login(schools.world.cora).get(reverse("referral:index"), {"export": "csv", "q": "ROOS-1002"})
    assert list(ReferralDisclosure.objects.values_list("student_ref", flat=True)) == ["ROOS-1002"]


def test_administrator_lists_disclosures_for_one_student(schools, login):
    disclosure_record(
        actor=schools.world.cora, source="admin", action="view", referrals=[schools.r_ref]
    )
    disclosure_record(
        actor=schools.world.omar, source="admin", action="export", referrals=[schools.g_ref]
    )
    response = login(schools.world.ana).get(
        reverse("referral:disclosures"), {"student": "roos-1001"}
    )
    assert response.status_code == 200
    rows = response.context["disclosures"]
    assert [(d.user, d.action) for d in rows] == [(schools.world.cora, "view")]
    assert b"cora" in response.content and b"omar" not in response.content


@pytest.mark.parametrize("persona", ["cora", "omar", "lee", "pat"])
def test_only_administrators_list_disclosures(schools, login, persona):
    client = login(getattr(schools.world, persona))
    assert denied(client.get(reverse("referral:disclosures"), {"student": "ROOS-1001"}))


def test_disclosure_record_refuses_unknown_action(schools):
    with pytest.raises(ValueError):
        disclosure_record(actor=None, source="admin", action="peek", referrals=[schools.r_ref])
    assert not ReferralDisclosure.objects.exists()


def test_inspect_links_administrators_to_the_disclosure_list(schools, login):
    url = reverse("referral:inspect", args=[schools.r_ref.pk])
    assert b"?student=ROOS-1001" in login(schools.world.ana).get(url).content
    assert b"?student=ROOS-1001" not in login(schools.world.cora).get(url).content
