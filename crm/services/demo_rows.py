"""The demo plan's rows, one builder per area, each written through the bulk services
(partner_create_many, records_create_many) with "demo": true in every audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.utils import timezone

from crm.demo.plan import DemoPlan
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
from crm.roles import ensure_roles
from crm.services.bulk import records_create_many
from crm.services.partners_bulk import partner_create_many

BATCH = 500
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


def link_rows(through, rows: list[tuple[int, int]], left: str, right: str) -> None:
    through.objects.bulk_create(
        [through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in rows], batch_size=BATCH
    )


def ccspp_rows(plan, schools, categories, events, partnerships, referrals, source):
    """Needs and assets of funded schools, and the pillars of events and partnerships."""
    needs = demo_create(
        [
            SchoolNeed(
                school=schools[n.school],
                fiscal_year=n.fiscal_year,
                category_id=categories.get(n.category),
                description=n.description,
                priority=n.priority,
                source=n.source,
            )
            for n in plan.needs
        ],
        source=source,
        describe=lambda n: f"Need at school {n.school_id}",
    )
    assets = demo_create(
        [
            SchoolAsset(
                school=schools[a.school],
                fiscal_year=a.fiscal_year,
                kind=a.kind,
                name=a.name,
                category_id=categories.get(a.category),
            )
            for a in plan.assets
        ],
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
        partners=[
            Partner(
                name=spec.name,
                kind=spec.kind,
                status=spec.status,
                website=spec.website,
                ein=spec.ein,
                phone=spec.phone,
                street=spec.street,
                city=spec.city,
                zip=spec.zip,
                description=spec.description,
                description_es=spec.description_es,
                public_email=spec.public_email,
                public_phone=spec.public_phone,
                published=spec.published,
            )
            for spec in plan.partners
        ],
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
    partnerships = [
        Partnership(
            partner=partner_of[p.partner],
            title=p.title[:255],
            scope=p.scope,
            start_date=p.start_date,
            end_date=p.end_date,
            status=p.status,
            strategic=p.strategic,
            agreement_type=p.agreement_type,
            lead_staff=users.get(p.lead),
            start_fy=fiscal_year_of(p.start_date),
            end_fy=fiscal_year_of(p.end_date) if p.end_date else None,
        )
        for p in plan.partnerships
    ]
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
    events = [
        Event(
            school=schools[e.school],
            kind=e.kind,
            title=e.title,
            date=e.date,
            participants=e.participants,
            items_distributed=e.items_distributed,
            recorded_by=users.get(e.recorded_by) if e.recorded_by else None,
            fiscal_year=fiscal_year_of(e.date),
        )
        for e in plan.events
    ]
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
