"""partner_create_many / contact_create_many / records_create_many: the bulk write path keeps
partner_create's rules (names, slugs, validation, permission, audit) and tells the caches."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from crm.models import AuditEntry, Contact, Partner, Touchpoint
from crm.services.bulk import records_create_many
from crm.services.partners import unique_partner_slugs
from crm.services.partners_bulk import contact_create_many, partner_create_many
from crm.signals import data_changed
from tests.factories import make_merged, make_partner


def test_names_aliases_slugs_and_one_audit_entry_each(world):
    make_partner("Harbor Food Bank")
    made = partner_create_many(
        partners=[
            Partner(name="  Harbor   Food Bank ", aliases=["HFB", "hfb", "Harbor Food Bank"]),
            Partner(name="Harbor Food Bank"),
            Partner(name="¡¿!"),
        ],
        actor=world.pat,
        source="import",
        details=[{"import_row": 2}, {"import_row": 3}, {"import_row": 4}],
    )
    assert [p.name for p in made] == ["Harbor Food Bank", "Harbor Food Bank", "¡¿!"]
    assert made[0].aliases == ["HFB"]
    assert [p.slug for p in made] == ["harbor-food-bank-2", "harbor-food-bank-3", "partner"]
    assert all(p.created_by == world.pat for p in made)
    entries = AuditEntry.objects.filter(action="partner.create", channel="import")
    entries = sorted(entries, key=lambda e: int(e.object_id))
    assert [(e.object_id, e.channel, e.actor) for e in entries] == [
        (str(p.pk), "import", world.pat) for p in made
    ]
    assert entries[0].changes == {"name": "Harbor Food Bank", "import_row": 2}


def test_one_slug_rule_for_one_and_for_many(db):
    make_partner("Pomona Youth")
    assert unique_partner_slugs(["Pomona Youth"]) == ["pomona-youth-2"]
    assert unique_partner_slugs(["Pomona Youth", "Pomona Youth"]) == [
        "pomona-youth-2",
        "pomona-youth-3",
    ]
    assert unique_partner_slugs(["x" * 300])[0] == "x" * 240


@pytest.mark.parametrize(
    "partner",
    [Partner(name="   "), Partner(name="Bad Site", website="not a url at all")],
    ids=["empty name", "bad website"],
)
def test_an_invalid_partner_refuses_the_whole_batch(world, partner):
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        partner_create_many(
            partners=[Partner(name="Fine Partner"), partner], actor=world.pat, source="import"
        )
    assert not Partner.objects.exists()
    assert AuditEntry.objects.count() == audited


def test_permission_is_checked(world):
    with pytest.raises(PermissionDenied):
        partner_create_many(partners=[Partner(name="X")], actor=world.lee, source="import")
    with pytest.raises(PermissionDenied):
        records_create_many(
            objects=[Touchpoint(partner=make_partner("Y"), summary="Call")],
            actor=world.lee,
            source="import",
        )


def test_contacts_in_bulk_are_audited_and_refused_on_a_merged_partner(world):
    partner = make_partner("Harbor Food Bank")
    contact_create_many(
        contacts=[Contact(partner=partner, name=" Rosa   Diaz ", email=" rosa@hfb.org ")],
        actor=world.pat,
        source="import",
    )
    contact = Contact.objects.get()
    assert (contact.name, contact.email) == ("Rosa Diaz", "rosa@hfb.org")
    entry = AuditEntry.objects.get(action="contact.create")
    assert entry.changes == {"partner": partner.pk, "name": "Rosa Diaz"}
    loser = make_merged(make_partner("Harbor Food Bank Inc"), partner)
    with pytest.raises(ValidationError):
        contact_create_many(
            contacts=[Contact(partner=loser, name="Lee")], actor=world.pat, source="import"
        )


def test_bulk_writes_tell_the_caches(world):
    heard = []

    def listener(sender, **kwargs):
        heard.append(sender)

    data_changed.connect(listener)
    try:
        partner_create_many(partners=[Partner(name="Foothill Arts")], actor=None, source="command")
    finally:
        data_changed.disconnect(listener)
    assert heard == [Partner]
