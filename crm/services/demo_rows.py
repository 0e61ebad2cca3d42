"""The demo plan's rows, one builder per area, each written through the bulk services
(partner_create_many, records_create_many) with "demo": true in every audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import fields
from operator import attrgetter

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.utils import timezone

from crm.demo.plan import DemoPlan, PartnerSpec
from crm.fiscal import fiscal_year_of
from crm.models import (
    Event,
    EventPartner,
    Partner,
    Partnership,
    PartnershipAgreement,
    Pillar,
    Referral,
    ReferralPartnerLink,
    ReferralStatusChange,
    SchoolAsset,
    SchoolNeed,
    StaffProfile,
)
from crm.models.editable import PARTNER_SCALAR_FIELDS, PARTNER_SERVICE_FIELDS
from crm.roles import ensure_roles
from crm.services.bulk import records_create_many
from crm.services.partners_bulk import partner_create_many

BATCH = 500
# The partner fields the plan decides, named as Partner's (crm/models/editable.py); the service
# details are a part of each partner's plan entry.
_PLANNED = {spec_field.name for spec_field in fields(PartnerSpec)}
PLANNED_PARTNER_FIELDS = (
    *(f for f in PARTNER_SCALAR_FIELDS if f in _PLANNED),
    *(f"services.{f}" for f in PARTNER_SERVICE_FIELDS),
)
# The mark --reset finds demo rows by: every demo row's audit entry carries it.
DEMO = {"demo": True}


def demo_create(objects: list, *, source: str, describe=None) -> list:
    """Validate, bulk-create and audit demo rows of one model (actor: the system)."""
    return records_create_many(
        objects=objects,
        actor=None,
        source=source,
        details=[DEMO] * len(objects),
        describe=describe,
    )


def built(model, specs, *, same: tuple[str, ...], **derived) -> list:
    """One unsaved `model` per plan entry: the fields in `same` copied from the entry (a dotted
    path reads a part of it, the field is its last name), each of `derived` computed from it."""
    read = [(path.rsplit(".", 1)[-1], attrgetter(path)) for path in same]
    return [
        model(
            **{name: get(spec) for name, get in read},
            **{name: compute(spec) for name, compute in derived.items()},
        )
        for spec in specs
    ]


def link_rows(through, rows: list[tuple[int, int]], left: str, right: str) -> None:
    through.objects.bulk_create(
        [through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in rows], batch_size=BATCH
    )


def ccspp_rows(plan, schools, categories, events, partnerships, referrals, source):
    """Needs and assets of funded schools, and the pillars of events and partnerships."""
    needs = demo_create(
        built(
            SchoolNeed,
            plan.needs,
            same=("fiscal_year", "description", "priority", "source"),
            school=lambda n: schools[n.school],
            category_id=lambda n: categories.get(n.category),
        ),
        source=source,
        describe=lambda n: f"Need at school {n.school_id}",
    )
    assets = demo_create(
        built(
            SchoolAsset,
            plan.assets,
            same=("fiscal_year", "kind", "name"),
            school=lambda a: schools[a.school],
            category_id=lambda a: categories.get(a.category),
        ),
        source=source,
        describe=lambda a: f"{a.name} at school {a.school_id}"[:255],
    )
    pillars = dict(Pillar.objects.values_list("code", "id"))
    link_rows(
        Event.pillars.through,
        [(events[i].pk, pillars[code]) for i, code in plan.event_pillars],
        "event",
        "pillar",
    )
    link_rows(
        Partnership.pillars.through,
        [(partnerships[i].pk, pillars[code]) for i, code in plan.partnership_pillars],
        "partnership",
        "pillar",
    )
    _agreements(plan, partnerships, source)
    _linked_referrals(plan, referrals, source)
    return needs, assets


def _demo_pdf() -> bytes:
    from crm.reports.render import pdf_document

    return pdf_document(
        title="Demo partnership agreement",
        paragraphs=("A placeholder page for the demo; no real agreement is stored here.",),
        tables=[],
    )


def _agreements(plan, partnerships, source) -> list[PartnershipAgreement]:
    pdf = ContentFile(_demo_pdf())
    rows = []
    for spec in plan.agreements:
        agreement = PartnershipAgreement(
            partnership=partnerships[spec.partnership],
            kind=spec.kind,
            original_name=f"demo-{spec.kind}-{spec.partnership}.pdf",
            signed_on=spec.signed_on,
            expires_on=spec.expires_on,
            renewal_status=spec.renewal_status,
        )
        agreement.document.save(agreement.original_name, pdf, save=False)
        rows.append(agreement)
    return demo_create(rows, source=source)


def _linked_referrals(plan, referrals, source) -> list[ReferralPartnerLink]:
    now = timezone.now()
    links = [
        ReferralPartnerLink(
            referral=referrals[i],
            # A secret nobody knows: the demo shows links in the list; make a new one to use.
            secret_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            expires_at=now + dt.timedelta(days=14),
        )
        for i in plan.linked_referrals
    ]
    return demo_create(links, source=source)


def user_rows(plan: DemoPlan, schools: dict[str, int], source: str) -> dict[str, User]:
    ensure_roles()
    users = {}
    for spec in plan.users:
        user = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@partnerbase.example",
            is_superuser=spec.superuser,
            is_staff=spec.superuser,
        )
        user.set_password(spec.password)
        users[spec.username] = user
    demo_create(list(users.values()), source=source, describe=lambda u: u.username)
    groups = {g.name: g for g in Group.objects.filter(name__in=[u.role for u in plan.users])}
    for spec in plan.users:
        users[spec.username].groups.add(groups[spec.role])
    profiles = demo_create([StaffProfile(user=u) for u in users.values()], source=source)
    rows = [
        (profile.pk, schools[code].pk)
        for profile, spec in zip(profiles, plan.users, strict=True)
        for code in spec.school_codes
    ]
    link_rows(StaffProfile.schools.through, rows, "staffprofile", "school")
    return users


def partner_rows(plan, source, schools, districts, categories, groups) -> list[Partner]:
    partners = partner_create_many(
        partners=built(Partner, plan.partners, same=PLANNED_PARTNER_FIELDS),
        actor=None,
        source=source,
        details=[DEMO] * len(plan.partners),
    )
    cats, focus, dist, sch = [], [], [], []
    for partner, spec in zip(partners, plan.partners, strict=True):
        cats += [(partner.pk, categories[c]) for c in spec.categories if c in categories]
        focus += [(partner.pk, groups[g]) for g in spec.focus_groups if g in groups]
        dist += [(partner.pk, districts[d]) for d in spec.district_codes]
        sch += [(partner.pk, schools[s].pk) for s in spec.school_codes]
    link_rows(Partner.service_categories.through, cats, "partner", "servicecategory")
    link_rows(Partner.equity_focus_groups.through, focus, "partner", "equityfocusgroup")
    link_rows(Partner.districts_served.through, dist, "partner", "district")
    link_rows(Partner.schools_served.through, sch, "partner", "school")
    return partners


def partnership_rows(plan, partner_of, users, schools, districts, source) -> list[Partnership]:
    partnerships = built(
        Partnership,
        plan.partnerships,
        same=("scope", "start_date", "end_date", "status", "strategic", "agreement_type"),
        partner=lambda p: partner_of[p.partner],
        title=lambda p: p.title[:255],
        lead_staff=lambda p: users.get(p.lead),
        start_fy=lambda p: fiscal_year_of(p.start_date),
        end_fy=lambda p: fiscal_year_of(p.end_date) if p.end_date else None,
    )
    demo_create(partnerships, source=source)
    pairs = list(zip(partnerships, plan.partnerships, strict=True))
    link_rows(
        Partnership.districts.through,
        [(obj.pk, districts[c]) for obj, spec in pairs for c in spec.district_codes],
        "partnership",
        "district",
    )
    link_rows(
        Partnership.schools.through,
        [(obj.pk, schools[c].pk) for obj, spec in pairs for c in spec.school_codes],
        "partnership",
        "school",
    )
    return partnerships


def event_rows(plan, partner_of, users, schools, source) -> list[Event]:
    events = built(
        Event,
        plan.events,
        same=("kind", "title", "date", "participants", "items_distributed"),
        school=lambda e: schools[e.school],
        recorded_by=lambda e: users.get(e.recorded_by) if e.recorded_by else None,
        fiscal_year=lambda e: fiscal_year_of(e.date),
    )
    demo_create(events, source=source)
    EventPartner.objects.bulk_create(
        [
            EventPartner(event_id=event.pk, partner_id=partner_of[key].pk)
            for event, spec in zip(events, plan.events, strict=True)
            for key in spec.partners
        ],
        batch_size=BATCH,
    )
    return events


def referral_rows(plan, partner_of, users, schools, source) -> list[Referral]:
    referrals = []
    for r in plan.referrals:
        status, changed_on = "referred", r.referred_on
        if r.history:
            status, changed_on = r.history[-1][1], r.history[-1][2]
        referrals.append(
            Referral(
                school=schools[r.school],
                partner=partner_of[r.partner],
                student_ref=r.student_ref,
                grade=r.grade,
                need_category=r.need_category,
                referred_on=r.referred_on,
                status=status,
                status_changed_on=changed_on,
                consent_on_file=r.consent_on_file,
                consent_date=r.referred_on if r.consent_on_file else None,
                contact_preference=r.contact_preference,
                follow_up_on=r.follow_up_on,
                outcome=r.outcome,
                referred_by=users.get(r.referred_by) if r.referred_by else None,
                version=1 + len(r.history),
                fiscal_year=fiscal_year_of(r.referred_on),
            )
        )
    # The audit trail never holds the student id, as in referral_create.
    demo_create(referrals, source=source, describe=lambda r: f"Referral #{r.pk}")
    changes = []
    for referral, spec in zip(referrals, plan.referrals, strict=True):
        by = users.get(spec.referred_by) if spec.referred_by else None
        changes.append(
            ReferralStatusChange(
                referral=referral, to_status="referred", changed_on=spec.referred_on, changed_by=by
            )
        )
        for from_status, to_status, on, reason in spec.history:
            changes.append(
                ReferralStatusChange(
                    referral=referral,
                    from_status=from_status,
                    to_status=to_status,
                    changed_on=on,
                    changed_by=by,
                    reason=reason,
                )
            )
    ReferralStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    return referrals


# Children before parents: nothing a demo row protects may outlive it.
