"""Coordinators see only their schools' events and referrals; leadership and partnership staff
see no referral rows at all, only aggregate figures.
"""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from crm.models import OPEN_REFERRAL_STATUSES, Partner, Referral, ReferralDisclosure
from crm.roles import is_administrator
from crm.selectors.coordination import (
    events_visible_to,
    referral_figures,
    referrals_visible_to,
    schools_of,
)
from crm.selectors.dashboard import open_referral_count
from crm.selectors.staff import schools_for_events
from crm.services.base import apply_changes, require_school
from tests.crm.coordination.coord_helpers import denied
from tests.factories import make_partner

OTHER_SCHOOL_URLS = [
    ("event:edit", "g_event"),
    ("event:inspect", "g_event"),
    ("referral:edit", "g_ref"),
    ("referral:inspect", "g_ref"),
    ("referral:status", "g_ref"),
]


@pytest.mark.parametrize(("url_name", "record"), OTHER_SCHOOL_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_schools_record_is_404_by_url(schools, login, url_name, record, method):
    client = login(schools.world.cora)
    url = reverse(url_name, args=[getattr(schools, record).pk])
    response = getattr(client, method)(url, {"participants": 1, "notes": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize(("url_name", "record"), OTHER_SCHOOL_URLS)
def test_own_schools_record_opens(schools, login, url_name, record):
    client = login(schools.world.omar)
    assert client.get(reverse(url_name, args=[getattr(schools, record).pk])).status_code == 200


def test_post_to_another_schools_referral_changes_nothing(schools, login):
    client = login(schools.world.cora)
    ref = schools.g_ref
    client.post(
        reverse("referral:edit", args=[ref.pk]),
        {"version": ref.version, "notes": "overwritten", "need_category": "food"},
    )
    ref.refresh_from_db()
    assert ref.notes == "" and ref.version == 1


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({}, "plain list"),
        ({"school": "GARFIELD"}, "filter by the other school"),
        ({"q": "GARF-2002"}, "search for the other school's student"),
        ({"q": "Garfield"}, "search for the other school's name"),
        ({"status": "referred"}, "filter by status"),
    ],
)
def test_referral_list_filter_and_search_show_no_other_school_rows(schools, login, query, label):
    if query.get("school") == "GARFIELD":
        query = {"school": schools.world.garfield.pk}
    client = login(schools.world.cora)
    response = client.get(reverse("referral:index"), query)
    assert response.status_code == 200, label
    assert reverse("referral:edit", args=[schools.g_ref.pk]).encode() not in response.content
    rows = list(response.context["object_list"])
    assert all(r.school_id == schools.world.roosevelt.pk for r in rows), label


def test_referral_list_shows_own_rows(schools, login):
    response = login(schools.world.cora).get(reverse("referral:index"))
    assert b"ROOS-1001" in response.content


@pytest.mark.parametrize(
    ("query", "label"),
    [({}, "plain"), ({"school": "GARFIELD"}, "filter"), ({"q": "Coat"}, "search")],
)
def test_event_list_filter_and_search_show_no_other_school_rows(schools, login, query, label):
    if query.get("school") == "GARFIELD":
        query = {"school": schools.world.garfield.pk}
    response = login(schools.world.cora).get(reverse("event:index"), query)
    assert response.status_code == 200
    assert reverse("event:edit", args=[schools.g_event.pk]).encode() not in response.content
    assert schools.g_event not in list(response.context["object_list"]), label


@pytest.mark.parametrize(("url_name", "fmt"), [("referral:index", "csv"), ("event:index", "csv")])
def test_exports_hold_zero_rows_of_other_schools(schools, login, url_name, fmt):
    response = login(schools.world.cora).get(reverse(url_name), {"export": fmt})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2  # header and the one Roosevelt row
    assert "Garfield" not in text and "GARF-2002" not in text


def test_export_cells_are_neutralised(schools, login):
    apply_changes(schools.r_event, {"title": '=HYPERLINK("http://x")'}, allowed={"title"})
    schools.r_event.save()
    response = login(schools.world.cora).get(reverse("event:index"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("persona", ["lee", "pat"])
def test_leadership_and_partnership_staff_see_no_referral_rows(schools, login, persona):
    user = getattr(schools.world, persona)
    client = login(user)
    assert not referrals_visible_to(user).exists()
    assert denied(client.get(reverse("referral:index")))
    assert denied(client.get(reverse("referral:index"), {"export": "csv"}))
    assert client.get(reverse("referral:inspect", args=[schools.r_ref.pk])).status_code == 404
    assert denied(client.get(reverse("referral:edit", args=[schools.r_ref.pk])))
    assert not ReferralDisclosure.objects.exists()
    figures = client.get(reverse("referral_figures:index"))
    assert figures.status_code == 200
    assert figures.context["figures"].total == 2
    assert b"ROOS-1001" not in figures.content and b"GARF-2002" not in figures.content


def test_selectors_scope_by_role(schools):
    w = schools.world
    assert set(referrals_visible_to(w.cora)) == {schools.r_ref}
    assert set(referrals_visible_to(w.omar)) == {schools.g_ref}
    assert set(referrals_visible_to(w.ana)) == {schools.r_ref, schools.g_ref}
    assert set(referrals_visible_to(w.sam)) == {schools.r_ref, schools.g_ref}
    assert set(events_visible_to(w.cora)) == {schools.r_event}
    assert set(events_visible_to(w.lee)) == {schools.r_event, schools.g_event}
    assert set(events_visible_to(w.pat)) == {schools.r_event, schools.g_event}


def test_referral_figures_count_in_the_database(schools, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        figures = referral_figures()
    assert figures.total == 2 and figures.open == 2
    assert dict(figures.by_need)["Food"] == 2


def test_school_choices_are_only_the_coordinators_schools(schools, login):
    client = login(schools.world.cora)
    form = client.get(reverse("referral:add")).context["form"]
    assert list(form.fields["school"].queryset) == [schools.world.roosevelt]
    response = client.post(
        reverse("referral:add"),
        {
            "school": schools.world.garfield.pk,
            "partner": schools.food_bank.pk,
            "student_ref": "GARF-9999",
            "need_category": "food",
            "referred_on": "2024-10-21",
            "contact_preference": "phone",
        },
    )
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not Referral.objects.filter(student_ref="GARF-9999").exists()


def test_merged_away_partners_are_not_offered(schools, login):
    gone = make_partner("Harbor Food Bank Inc")
    Partner.objects.filter(pk=gone.pk).update(merged_into=schools.food_bank)
    form = login(schools.world.cora).get(reverse("event:add")).context["form"]
    offered = set(form.fields["partners"].queryset)
    assert schools.food_bank in offered and gone not in offered


def test_coordinator_creates_a_referral_through_the_service(schools, login):
    from crm.models import AuditEntry

    client = login(schools.world.cora)
    response = client.post(
        reverse("referral:add"),
        {
            "school": schools.world.roosevelt.pk,
            "partner": schools.food_bank.pk,
            "student_ref": "ROOS-3003",
            "need_category": "housing",
            "referred_on": "2024-10-21",
            "contact_preference": "do_not_contact",
            # The food bank has no data-sharing agreement on file: the coordinator confirms.
            "confirm_no_agreement": "on",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(student_ref="ROOS-3003")
    entry = AuditEntry.objects.get(action="referral.create", object_id=str(referral.pk))
    assert (entry.actor, entry.channel) == (schools.world.cora, "admin")
    assert referral.status_changes.count() == 1


def test_coordinator_edits_own_event_through_the_service(schools, login):
    from crm.models import AuditEntry

    event = schools.r_event
    client = login(schools.world.cora)
    response = client.post(
        reverse("event:edit", args=[event.pk]),
        {
            "school": schools.world.roosevelt.pk,
            "kind": event.kind,
            "title": event.title,
            "date": event.date.isoformat(),
            "participants": 55,
            "items_distributed": 0,
            "partners": [schools.clinic.pk],
            "notes": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.participants == 55
    assert list(event.partners.all()) == [schools.clinic]
    entry = AuditEntry.objects.get(action="event.update", object_id=str(event.pk))
    assert entry.channel == "admin" and entry.changes["participants"] == [40, 55]


@pytest.mark.parametrize("persona", ["ana", "pat", "cora", "omar", "lee"])
def test_pickers_service_checks_and_counts_follow_schools_of(schools, persona):
    user = getattr(schools.world, persona)
    mine = set(schools_of(user))
    assert set(schools_for_events(user)) == mine
    for school in (schools.world.roosevelt, schools.world.garfield):
        if school in mine:
            require_school(user, school.pk)
        else:
            with pytest.raises(PermissionDenied):
                require_school(user, school.pk)
    if not is_administrator(user) and user.has_perm("crm.view_referral"):
        expected = Referral.objects.filter(school__in=mine, status__in=OPEN_REFERRAL_STATUSES)
        assert open_referral_count(user) == expected.count()
