"""One-step referral status changes from a My schools card and a referral list row."""

from django.urls import reverse
from django.utils import timezone

from crm.models import Referral


def _quick(client, referral, *, to_status, note="", next_url):
    return client.post(
        reverse("referral:status", args=[referral.pk]),
        {
            "to_status": to_status,
            "note": note,
            "version": referral.version,
            "changed_on": timezone.localdate().isoformat(),
            "next": next_url,
        },
    )


def test_a_card_closes_a_referral_in_one_post_and_returns_to_my_schools(schools, login):
    client = login(schools.world.cora)
    page = client.get(reverse("my_schools:index"))
    card = next(c for c in page.context["cards"] if c["referral"] == schools.r_ref)
    assert ("closed", "Closed") in card["choices"]
    assert reverse("referral:status", args=[schools.r_ref.pk]) in page.content.decode()

    response = _quick(
        client,
        schools.r_ref,
        to_status="closed",
        note="Family moved out of the area",
        next_url=reverse("my_schools:index"),
    )
    assert response.status_code == 302 and response.url == reverse("my_schools:index")
    referral = Referral.objects.get(pk=schools.r_ref.pk)
    assert referral.status == "closed" and referral.outcome == "Family moved out of the area"
    change = referral.status_changes.latest("id")
    assert change.reason == "Family moved out of the area"


def test_a_closing_move_without_a_note_opens_the_full_form_with_the_error(schools, login):
    client = login(schools.world.cora)
    response = _quick(client, schools.r_ref, to_status="closed", next_url="/admin/referral/")
    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors
    assert response.context["next"] == "/admin/referral/"
    assert Referral.objects.get(pk=schools.r_ref.pk).status == "referred"


def test_an_outside_next_address_is_ignored(schools, login):
    client = login(schools.world.cora)
    response = _quick(client, schools.r_ref, to_status="accepted", next_url="https://evil.example/")
    assert response.status_code == 302
    assert response.url == reverse("referral:inspect", args=[schools.r_ref.pk])


def test_the_referral_list_has_a_status_form_per_open_row(schools, login):
    response = login(schools.world.cora).get(reverse("referral:index"))
    html = response.content.decode()
    assert f'id="to-status-{schools.r_ref.pk}-row"' in html
    assert f'id="to-status-{schools.g_ref.pk}-row"' not in html  # another school's row
    assert 'name="next" value="/admin/referral/"' in html


def test_another_schools_referral_cannot_be_moved(schools, login):
    client = login(schools.world.cora)
    response = _quick(client, schools.g_ref, to_status="accepted", next_url="/admin/")
    assert response.status_code == 404
    assert Referral.objects.get(pk=schools.g_ref.pk).status == "referred"
