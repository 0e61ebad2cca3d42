"""Partners and contacts created many at once (imports, the demo): the same rules as
partner_create and contact_create (tidied names, free slugs, validation, audit), in bulk."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from crm.models import Contact, Partner
from crm.selectors.partners import partner_index_sync
from crm.services.bulk import records_create_many
from crm.services.partners import clean_aliases, lock_partner_creation, unique_partner_slugs


@transaction.atomic
def partner_create_many(
    *,
    partners: Sequence[Partner],
    actor,
    source: str,
    details: Sequence[dict] | None = None,
) -> list[Partner]:
    """Create unsaved partners in bulk; each gets a "partner.create" audit entry with `details`.

    The duplicate check is the caller's, done for the whole batch first: the import's preview
    has the person decide every likely duplicate; the demo's partners are distinct by design.
    Many-to-many fields are the caller's to link once the partners have ids.
    """
    partners = list(partners)
    if not partners:
        return partners
    lock_partner_creation()
    creator = actor if getattr(actor, "pk", None) else None
    for partner in partners:
        partner.name = " ".join((partner.name or "").split())
        if not partner.name:
            raise ValidationError({"name": "A partner needs a name."})
        partner.aliases = clean_aliases(partner.aliases or (), name=partner.name)
        partner.created_by = partner.created_by or creator
    for partner, slug in zip(
        partners, unique_partner_slugs([p.name for p in partners]), strict=True
    ):
        partner.slug = slug
    records_create_many(
        objects=partners,
        actor=actor,
        source=source,
        details=[
            {"name": p.name, **extra}
            for p, extra in zip(partners, details or [{}] * len(partners), strict=True)
        ],
    )
    # File them now, so the next duplicate check needs no rebuild.
    created = [p.pk for p in partners]
    transaction.on_commit(lambda: partner_index_sync(created))
    return partners


@transaction.atomic
def contact_create_many(
    *,
    contacts: Sequence[Contact],
    actor,
    source: str,
    details: Sequence[dict] | None = None,
) -> list[Contact]:
    """Create unsaved contacts in bulk, audited as contact_create audits one."""
    contacts = list(contacts)
    if not contacts:
        return contacts
    partner_ids = sorted({c.partner_id for c in contacts})
    merged = Partner.objects.filter(merged_into__isnull=False)
    for start in range(0, len(partner_ids), 500):  # SQLite caps the parameters of one statement
        if merged.filter(pk__in=partner_ids[start : start + 500]).exists():
            raise ValidationError(
                "A partner was merged into another record; add the contact there."
            )
    for contact in contacts:
        contact.name = " ".join((contact.name or "").split())
        contact.email, contact.phone = contact.email.strip(), contact.phone.strip()
    return records_create_many(
        objects=contacts,
        actor=actor,
        source=source,
        details=[
            {"partner": c.partner_id, "name": c.name, **extra}
            for c, extra in zip(contacts, details or [{}] * len(contacts), strict=True)
        ],
    )
