"""The phone-friendly My schools page: record an event in one form, upload a term's sign-in
sheet (all rows or none), see the referral queue and the follow-ups due.
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from crm.models import AuditEntry, Event, Partner
from crm.selectors.coordination import referral_queue
from crm.services.activity import event_create, touchpoint_create
from crm.services.coordination import SignInSheetError, event_import_signin_sheet
from tests.crm.coordination.coord_helpers import denied
from tests.factories import make_partner, make_referral

MY_SCHOOLS = "my_schools:index"


def test_record_form_is_prefilled_with_the_school_and_today(schools, login):
    response = login(schools.world.cora).get(reverse(MY_SCHOOLS))
    assert response.status_code == 200
    form = response.context["record_form"]
    assert form["school"].value() == schools.world.roosevelt.pk
    assert form.fields["school"].widget.is_hidden
    assert form["date"].value() == timezone.localdate()
    assert b"Roosevelt High" in response.content
    assert b'name="viewport"' in response.content


def test_a_coordinator_records_an_event_end_to_end(schools, login):
    client = login(schools.world.cora)
    page = client.get(reverse(MY_SCHOOLS))
    form = page.context["record_form"]
    response = client.post(
        reverse(MY_SCHOOLS),
        {
            "action": "record",
            "school": form["school"].value(),
            "date": form["date"].value().isoformat(),
            "kind": "distribution",
            "participants": "62",
            "items_distributed": "180",
            "partners": [schools.food_bank.pk, schools.clinic.pk],
            "notes": "Winter coats and food boxes",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(MY_SCHOOLS)
    event = Event.objects.get(notes="Winter coats and food boxes")
    assert (event.school, event.kind, event.participants, event.items_distributed) == (
        schools.world.roosevelt,
        "distribution",
        62,
        180,
    )
    assert set(event.partners.all()) == {schools.food_bank, schools.clinic}
    assert event.recorded_by == schools.world.cora and event.date == timezone.localdate()
    entry = AuditEntry.objects.get(action="event.create", object_id=str(event.pk))
    assert (entry.actor, entry.channel) == (schools.world.cora, "admin")
    assert event in response.context["events"]
    assert b"Recorded:" in response.content


def _record(client, school, **fields):
    data = {
        "action": "record",
        "school": school.pk,
        "date": "2024-10-01",
        "kind": "workshop",
        "participants": "12",
        "items_distributed": "0",
        **fields,
    }
    return client.post(reverse(MY_SCHOOLS), data)


def test_without_js_typed_partner_names_are_resolved(schools, login):
    client = login(schools.world.cora)
    response = _record(
        client, schools.world.roosevelt, partner_names=" harbor food bank ;Eastside Family Clinic"
    )
    assert response.status_code == 302
    event = Event.objects.get(participants=12)
    assert set(event.partners.all()) == {schools.food_bank, schools.clinic}


def test_an_unknown_partner_name_is_offered_matches_and_picks_are_kept(schools, login):
    watts = make_partner("Boys & Girls Club of Watts")
    client = login(schools.world.cora)
    response = _record(
        client,
        schools.world.roosevelt,
        partners=[schools.clinic.pk],
        partner_names="Boys and Girls Club Watts",
    )
    assert response.status_code == 200
    form = response.context["record_form"]
    assert "No partner named 'Boys and Girls Club Watts'" in form.errors["partner_names"][0]
    assert form["partner_names"].value() == "Eastside Family Clinic"
    typed, offered = form.offers[0]
    assert typed == "Boys and Girls Club Watts" and offered[0] == (watts.pk, watts.name)
    html = response.content.decode()
    assert f'<input type="checkbox" name="partners" value="{watts.pk}">' in html
    assert not Event.objects.filter(participants=12).exists()

    # Ticking the offered partner is the only thing left to do: nothing is retyped.
    again = _record(
        client,
        schools.world.roosevelt,
        partners=[watts.pk],
        partner_names=form["partner_names"].value(),
    )
    assert again.status_code == 302
    event = Event.objects.get(participants=12)
    assert set(event.partners.all()) == {schools.clinic, watts}


def test_bad_event_input_is_explained_and_nothing_recorded(schools, login):
    response = login(schools.world.cora).post(
        reverse(MY_SCHOOLS),
        {
            "action": "record",
            "school": schools.world.roosevelt.pk,
            "date": "2024-10-01",
            "kind": "workshop",
            "participants": "-4",
            "items_distributed": "0",
        },
    )
    assert response.status_code == 200
    assert "participants" in response.context["record_form"].errors
    assert Event.objects.count() == 2


def test_a_coordinator_cannot_record_for_another_school(schools, login):
    response = login(schools.world.cora).post(
        reverse(MY_SCHOOLS),
        {
            "action": "record",
            "school": schools.world.garfield.pk,
            "date": "2024-10-01",
            "kind": "workshop",
            "participants": "4",
            "items_distributed": "0",
        },
    )
    assert "school" in response.context["record_form"].errors
    assert not Event.objects.filter(school=schools.world.garfield, participants=4).exists()


def test_partner_typeahead_answers_live_partners_only(schools, login):
    gone = make_partner("Harbor Food Pantry")
    Partner.objects.filter(pk=gone.pk).update(merged_into=schools.food_bank)
    response = login(schools.world.cora).get(reverse("my_schools:partners"), {"q": "harbor"})
    names = [m["name"] for m in response.json()["results"]]
    assert "Harbor Food Bank" in names and "Harbor Food Pantry" not in names


@pytest.mark.parametrize("persona", ["lee", "pat"])
def test_my_schools_is_for_coordinators_and_administrators(schools, login, persona):
    client = login(getattr(schools.world, persona))
    assert denied(client.get(reverse(MY_SCHOOLS)))
    assert denied(client.get(reverse("my_schools:partners"), {"q": "harbor"}))


def test_the_queue_and_follow_ups_appear(schools, login):
    with time_machine.travel(dt.datetime(2024, 9, 1, 9), tick=False):
        stale = make_referral(
            schools.world.roosevelt, schools.food_bank, referred_on=dt.date(2024, 9, 1)
        )
    due = make_referral(
        schools.world.roosevelt,
        schools.clinic,
        referred_on=timezone.localdate(),
        follow_up_on=timezone.localdate(),
    )
    touchpoint_create(
        partner=schools.food_bank,
        occurred_on=dt.date(2024, 10, 1),
        channel="call",
        summary="Talked about the MOU",
        follow_up_on=timezone.localdate(),
        next_step="Send the MOU draft",
        actor=schools.world.cora,
        source="admin",
    )
    response = login(schools.world.cora).get(reverse(MY_SCHOOLS))
    queued = {r.pk: reason for r, reason in response.context["queue"]}
    assert stale.pk in queued and "no update" in queued[stale.pk]
    assert due.pk in queued and "follow-up due" in queued[due.pk]
    assert schools.g_ref.pk not in queued
    assert b"Send the MOU draft" in response.content


def test_a_new_referral_needs_action_on_my_schools_only(schools, login):
    today = timezone.localdate()
    fresh = make_referral(schools.world.roosevelt, schools.food_bank, referred_on=today)
    assert fresh not in referral_queue(schools.world.cora, today=today)
    assert fresh in referral_queue(schools.world.cora, today=today, include_new=True)
    response = login(schools.world.cora).get(reverse(MY_SCHOOLS))
    cards = {card["referral"].pk: card for card in response.context["cards"]}
    assert cards[fresh.pk]["reason"] == "new referral" and cards[fresh.pk]["kind"] == "new"
    assert schools.g_ref.pk not in cards


SHEET = (
    "date,kind,title,participants,items_distributed,partners,notes\n"
    "2024-09-12,Workshop/training,FAFSA night,35,0,Harbor Food Bank,\n"
    "09/19/2024,distribution,Backpacks,120,240,Harbor Food Bank; Eastside Family Clinic,\n"
)


def _upload(client, school, text):
    sheet = SimpleUploadedFile("sheet.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse(MY_SCHOOLS), {"action": "signin", "school": school.pk, "sheet": sheet}
    )


def test_sign_in_sheet_records_every_row(schools, login):
    response = _upload(login(schools.world.cora), schools.world.roosevelt, SHEET)
    assert response.status_code == 302
    events = Event.objects.filter(school=schools.world.roosevelt, date__month=9)
    assert sorted(e.participants for e in events) == [35, 120]
    backpacks = events.get(title="Backpacks")
    assert backpacks.items_distributed == 240 and backpacks.partners.count() == 2
    assert AuditEntry.objects.filter(action="event.create", channel="admin").count() == 2


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("2024-13-40,workshop,,3,0,,", "Row 4: date '2024-13-40' is not a date"),
        ("2024-09-20,picnic,,3,0,,", "Row 4: kind 'picnic' is not one of"),
        ("2024-09-20,workshop,,-3,0,,", "Row 4: participants cannot be negative"),
        ("2024-09-20,workshop,,lots,0,,", "Row 4: participants 'lots' is not a whole number"),
        ("2024-09-20,workshop,,3,0,Nobody Inc,", "Row 4: partner 'Nobody Inc' is not a known"),
        (",workshop,,3,0,,", "Row 4: date is missing"),
        ("2099-01-01,workshop,,3,0,,", "Row 4: date 2099-01-01 is in the future"),
    ],
)
def test_a_bad_row_writes_nothing_and_says_which(schools, login, bad_row, message):
    before = Event.objects.count()
    response = _upload(login(schools.world.cora), schools.world.roosevelt, SHEET + bad_row + "\n")
    assert response.status_code == 200
    assert any(message in e for e in response.context["sheet_errors"]), response.context[
        "sheet_errors"
    ]
    assert Event.objects.count() == before


def test_sheet_without_the_needed_columns_is_refused(schools, login):
    response = _upload(login(schools.world.cora), schools.world.roosevelt, "when,what\n1,2\n")
    assert "date, kind" in str(response.context["sheet_form"].errors["sheet"])


def test_sign_in_sheet_service_refuses_another_school(schools):
    rows = [{"date": "2024-09-12", "kind": "workshop"}]
    with pytest.raises(PermissionDenied):
        event_import_signin_sheet(
            school=schools.world.garfield, rows=rows, actor=schools.world.cora, source="import"
        )
    with pytest.raises(SignInSheetError, match="no rows"):
        event_import_signin_sheet(
            school=schools.world.roosevelt, rows=[], actor=schools.world.cora, source="import"
        )


@pytest.mark.parametrize("url_name", [MY_SCHOOLS, "referral:index", "event:index"])
def test_pages_do_not_query_per_row(schools, login, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(schools.world.cora)
    url = reverse(url_name)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    today = timezone.localdate()

    def add(rows):
        for n in range(rows):
            make_referral(
                schools.world.roosevelt, schools.clinic, referred_on=today, follow_up_on=today
            )
            event_create(
                school=schools.world.roosevelt,
                kind="workshop",
                date=today,
                partners=[schools.food_bank, schools.clinic],
                participants=n,
                actor=None,
                source="command",
            )

    add(1)  # every list of the page has a row, so each prefetch already runs once
    few = queries()
    add(6)
    assert queries() <= few  # the same page, six more rows: no query per row
