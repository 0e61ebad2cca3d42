"""Partner and contact writes. Creating a partner always asks the matcher first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify

from crm.dedup.explain import describe
from crm.dedup.score import Match
from crm.models import (
    Contact,
    District,
    EquityFocusGroup,
    Partner,
    PartnerKind,
    PartnerStatus,
    School,
    ServiceCategory,
)
from crm.models.editable import CONTACT_FIELDS as EDITABLE_CONTACT_FIELDS
from crm.models.editable import PARTNER_SCALAR_FIELDS
from crm.selectors.partners import likely_duplicates, partner_index_sync, partner_matches
from crm.services.base import (
    apply_changes,
    audit_record,
    check_channel,
    plain,
    require_perm,
    set_many,
    validated_save,
)
from crm.services.queue import duplicate_candidates_add

# Advisory lock key for partner creation: parallel creates of one name must not both pass the check.
PARTNER_CREATE_LOCK = 7_201_001

PARTNER_FIELDS = set(PARTNER_SCALAR_FIELDS)
CONTACT_FIELDS = set(EDITABLE_CONTACT_FIELDS)


class DuplicatePartner(ValidationError):
    """Likely duplicates exist; the person must choose "use existing" or "create anyway"."""

    def __init__(self, matches: list[Match]):
        self.matches = matches
        lines = "; ".join(f"{m.name} ({describe(m)})" for m in matches)
        super().__init__(f"This looks like an existing partner: {lines}.", code="duplicate")


def lock_partner_creation() -> None:
    # SQLite serializes writers already; PostgreSQL needs an explicit lock held to commit.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PARTNER_CREATE_LOCK])


def unique_partner_slugs(names: Sequence[str], *, exclude_id: int | None = None) -> list[str]:
    """A free web address for each name, none repeated among them: slugify(name)[:240] (or
    "partner"), then -2, -3... One query for a batch; one per candidate for a single name."""
    others = Partner.objects.exclude(pk=exclude_id)
    if len(names) == 1:

        def is_taken(slug: str) -> bool:
            return others.filter(slug=slug).exists()
    else:
        is_taken = set(others.values_list("slug", flat=True)).__contains__
    out: list[str] = []
    mine: set[str] = set()
    for name in names:
        base = slugify(name)[:240] or "partner"
        slug, n = base, 2
        while slug in mine or is_taken(slug):
            slug, n = f"{base}-{n}", n + 1
        mine.add(slug)
        out.append(slug)
    return out


def clean_aliases(aliases: Iterable[str], *, name: str) -> list[str]:
    """Aliases with whitespace collapsed, each once (ignoring case), never the name itself."""
    seen, out = {name.strip().casefold()}, []
    for alias in aliases:
        alias = " ".join(str(alias).split())
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return out


@transaction.atomic
def partner_create(
    *,
    name: str,
    actor,
    source: str,
    kind: str = PartnerKind.NONPROFIT,
    status: str = PartnerStatus.ACTIVE,
    aliases: Iterable[str] = (),
    website: str = "",
    ein: str = "",
    phone: str = "",
    street: str = "",
    city: str = "",
    zip: str = "",
    description: str = "",
    description_es: str = "",
    public_email: str = "",
    public_phone: str = "",
    published: bool = False,
    internal_notes: str = "",
    service_categories: Iterable[ServiceCategory | int] = (),
    equity_focus_groups: Iterable[EquityFocusGroup | int] = (),
    districts_served: Iterable[District | int] = (),
    schools_served: Iterable[School | int] = (),
    accepting_referrals: str = "",
    monthly_capacity: int | None = None,
    languages: Iterable[str] = (),
    grades_from: str = "",
    grades_to: str = "",
    hours: str = "",
    hours_es: str = "",
    cost: str = "",
    eligibility: Iterable[str] = (),
    eligibility_notes: str = "",
    eligibility_notes_es: str = "",
    create_anyway: bool = False,
    review_now: bool = True,
) -> Partner:
    """Create a partner unless the matcher finds a likely duplicate (then raise DuplicatePartner).

    With create_anyway=True the person has seen the likely duplicates and chose to create; the
    choice and the partners it overrode are written to the audit trail, and every possible or
    likely duplicate enters the review queue at once (review_now=False leaves that to the next
    scan: for loaders of records that exist elsewhere already, such as test data).
    """
    check_channel(source)
    require_perm(actor, "crm.add_partner")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "A partner needs a name."})
    lock_partner_creation()
    matches = partner_matches(
        name=name,
        aliases=tuple(aliases),
        website=website,
        ein=ein,
        phone=phone,
        street=street,
        zip=zip,
    )
    likely = likely_duplicates(matches)
    if likely and not create_anyway:
        raise DuplicatePartner(likely)
    partner = Partner(
        name=name,
        slug=unique_partner_slugs([name])[0],
        aliases=clean_aliases(aliases, name=name),
        kind=kind,
        status=status,
        website=website.strip(),
        ein=ein.strip(),
        phone=phone.strip(),
        street=street.strip(),
        city=city.strip(),
        zip=zip.strip(),
        description=description,
        description_es=description_es,
        public_email=public_email,
        public_phone=public_phone,
        published=published,
        internal_notes=internal_notes,
        accepting_referrals=accepting_referrals,
        monthly_capacity=monthly_capacity,
        languages=list(languages),
        grades_from=grades_from,
        grades_to=grades_to,
        hours=hours.strip(),
        hours_es=hours_es.strip(),
        cost=cost,
        eligibility=list(eligibility),
        eligibility_notes=eligibility_notes,
        eligibility_notes_es=eligibility_notes_es,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    validated_save(partner)
    changes: dict = {}
    set_many(partner, "service_categories", service_categories, changes)
    set_many(partner, "equity_focus_groups", equity_focus_groups, changes)
    set_many(partner, "districts_served", districts_served, changes)
    set_many(partner, "schools_served", schools_served, changes)
    details = {"name": name, **changes}
    if likely:
        details["created_anyway_over"] = [
            {"id": m.id, "name": m.name, "reasons": list(m.reasons)} for m in likely
        ]
    if create_anyway and review_now:
        # The person saw the warning and went ahead: the pairs go to review now, not next scan.
        queued = duplicate_candidates_add(
            partner_id=partner.pk, found=[(m.id, m.score, m.level, m.reasons) for m in matches]
        )
        if queued:
            details["queued_for_review"] = queued
    audit_record(
        actor=actor, source=source, action="partner.create", instance=partner, changes=details
    )
    transaction.on_commit(lambda: partner_index_sync([partner.pk]))
    return partner


def _matches_of(partner: Partner) -> list[Match]:
    return partner_matches(
        name=partner.name,
        aliases=tuple(partner.aliases or ()),
        website=partner.website,
        ein=partner.ein,
        phone=partner.phone,
        street=partner.street,
        zip=partner.zip,
        exclude_ids=(partner.pk,),
    )


def _names(partner: Partner) -> set[str]:
    return {n.casefold() for n in (partner.name, *(partner.aliases or ()))}


def _clean_names(partner: Partner, data: dict) -> dict:
    if "name" in data:
        data = {**data, "name": " ".join(str(data["name"]).split())}
    if "aliases" in data:
        data = {
            **data,
            "aliases": clean_aliases(data["aliases"], name=data.get("name", partner.name)),
        }
    return data


def partner_rename_duplicates(*, partner: Partner, data: dict) -> list[Match]:
    """What a rename would newly look like: partners flagged for the record with `data`
    applied (a new name or alias) that are not flagged at that level for it as it is.

    Empty when `data` adds no name. The same check as a create, so a rename cannot slip a
    duplicate past the matcher; matches the record already has were reviewed before.
    """
    data = _clean_names(partner, data)
    renamed = Partner(**{f.attname: getattr(partner, f.attname) for f in Partner._meta.fields})
    for field in ("name", "aliases", "website", "ein", "phone", "street", "zip"):
        if field in data:
            setattr(renamed, field, data[field])
    if _names(renamed) <= _names(partner):
        return []
    before = {(m.id, m.level) for m in _matches_of(partner)}
    return [m for m in _matches_of(renamed) if (m.id, m.level) not in before]


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    actor,
    source: str,
    data: dict,
    service_categories: Iterable | None = None,
    equity_focus_groups: Iterable | None = None,
    districts_served: Iterable | None = None,
    schools_served: Iterable | None = None,
    rename_anyway: bool = False,
) -> Partner:
    """Change a live partner's fields; a merged-away record is read-only.

    A new name or alias is checked like a create: a likely duplicate it would newly resemble
    raises DuplicatePartner unless rename_anyway=True (the person saw it and went ahead);
    then the choice is audited and the flagged pairs enter the review queue at once.
    """
    check_channel(source)
    require_perm(actor, "crm.change_partner")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.merged_into_id:
        raise ValidationError(
            "This partner was merged into another record; edit the surviving partner."
        )
    data = _clean_names(partner, data)
    newly = partner_rename_duplicates(partner=partner, data=data)
    likely = likely_duplicates(newly)
    if likely and not rename_anyway:
        raise DuplicatePartner(likely)
    changes = apply_changes(partner, data, allowed=PARTNER_FIELDS)
    validated_save(partner)
    if likely:
        changes["renamed_anyway_over"] = [
            {"id": m.id, "name": m.name, "reasons": list(m.reasons)} for m in likely
        ]
    if rename_anyway and newly:
        queued = duplicate_candidates_add(
            partner_id=partner.pk, found=[(m.id, m.score, m.level, m.reasons) for m in newly]
        )
        if queued:
            changes["queued_for_review"] = queued
    set_many(partner, "service_categories", service_categories, changes)
    set_many(partner, "equity_focus_groups", equity_focus_groups, changes)
    set_many(partner, "districts_served", districts_served, changes)
    set_many(partner, "schools_served", schools_served, changes)
    if changes:
        audit_record(
            actor=actor, source=source, action="partner.update", instance=partner, changes=changes
        )
        transaction.on_commit(lambda: partner_index_sync([partner.pk]))
    return partner


def partner_duplicate_choice_record(
    *, name: str, chosen: Partner, matches: list[Match], actor, source: str
) -> None:
    """Record that a person chose an existing partner over creating `name`."""
    audit_record(
        actor=actor,
        source=source,
        action="partner.use_existing",
        instance=chosen,
        changes={"typed_name": name, "offered": [plain(m.id) for m in matches]},
    )


@transaction.atomic
def contact_create(
    *,
    partner: Partner,
    name: str,
    actor,
    source: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    is_public: bool = False,
    notes: str = "",
) -> Contact:
    check_channel(source)
    require_perm(actor, "crm.add_contact")
    if partner.merged_into_id:
        raise ValidationError("This partner was merged into another record; add the contact there.")
    contact = Contact(
        partner=partner,
        name=" ".join(name.split()),
        role=role,
        email=email.strip(),
        phone=phone.strip(),
        is_public=is_public,
        notes=notes,
    )
    validated_save(contact)
    audit_record(
        actor=actor,
        source=source,
        action="contact.create",
        instance=contact,
        changes={"partner": partner.pk, "name": contact.name},
    )
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor, source: str, data: dict) -> Contact:
    check_channel(source)
    require_perm(actor, "crm.change_contact")
    changes = apply_changes(contact, data, allowed=CONTACT_FIELDS)
    validated_save(contact)
    if changes:
        audit_record(
            actor=actor, source=source, action="contact.update", instance=contact, changes=changes
        )
    return contact
