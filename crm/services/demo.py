"""Writes the demo plan in bulk, with audit entries and stored fiscal years; and removes it again.

Every demo row gets an audit entry whose changes carry "demo": true: that is how --reset finds
exactly the demo rows (and nothing a person added) to delete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify

from crm.demo.plan import DEMO_USERS, DemoPlan
from crm.fiscal import fiscal_year_of
from crm.models import (
    AuditEntry,
    CommunitySchoolGrant,
    Contact,
    District,
    DuplicateCandidate,
    EquityFocusGroup,
    Event,
    EventPartner,
    Funding,
    MergeRecord,
    Partner,
    Partnership,
    PartnershipAgreement,
    Pillar,
    Referral,
    ReferralPartnerLink,
    ReferralStatusChange,
    School,
    SchoolAsset,
    SchoolNeed,
    ServiceCategory,
    StaffProfile,
    Touchpoint,
)
from crm.roles import ensure_roles
from crm.services.base import check_channel, require_perm
from crm.signals import bulk_write_done

BATCH = 500


class DemoError(ValidationError):
    """The demo cannot be loaded or removed; the message says why and nothing was written."""


@dataclass
class DemoCounts:
    rows: dict[str, int]

    def __str__(self) -> str:
        return ", ".join(f"{n} {name}" for name, n in self.rows.items())


def _demo_ids(model: type[models.Model]) -> list[int]:
    name = model._meta.model_name
    ids = AuditEntry.objects.filter(
        model=name, action=f"{name}.create", changes__demo=True
    ).values_list("object_id", flat=True)
    return [int(pk) for pk in ids]


def demo_loaded() -> bool:
    """True when demo partners or demo logins are still in the database."""
    return (
        Partner.objects.filter(pk__in=_demo_ids(Partner)).exists()
        or User.objects.filter(pk__in=_demo_ids(User)).exists()
    )


def _check(instance: models.Model) -> None:
    # Keys come from rows just written and the database enforces the check constraints,
    # so the per-row queries those validations would make are skipped.
    fks = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(exclude=fks, validate_unique=False, validate_constraints=False)


def _create(model, objects: list, *, source: str, describe=None) -> list:
    """bulk_create after validating, with one audit entry per row marked as demo."""
    for obj in objects:
        _check(obj)
    model.objects.bulk_create(objects, batch_size=BATCH)
    name = model._meta.model_name
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=None,
                channel=source,
                action=f"{name}.create",
                model=name,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255] if describe is None else describe(obj),
                changes={"demo": True},
            )
            for obj in objects
        ],
        batch_size=BATCH,
    )
    return objects


def _link(through, rows: list[tuple[int, int]], left: str, right: str) -> None:
    through.objects.bulk_create(
        [through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in rows], batch_size=BATCH
    )


def _refuse_clashes(plan: DemoPlan) -> None:
    names = [u.username for u in plan.users]
    taken = list(User.objects.filter(username__in=names).values_list("username", flat=True))
    if taken:
        raise DemoError(
            f"The demo logins {', '.join(sorted(taken))} already exist and were not made by "
            "load_demo; rename or remove those users first."
        )


@transaction.atomic
def demo_load(*, plan: DemoPlan, actor, source: str) -> DemoCounts:
    """Write every row of the plan in one transaction; refuse if demo data is already there."""
    check_channel(source)
    require_perm(actor, "crm.add_partner")
    if demo_loaded():
        raise DemoError("The demo data is already loaded; remove it first (load_demo --reset).")
    _refuse_clashes(plan)
    # Instances, not ids: audit entries print each row, and str() must not query its relations.
    schools = {s.cds_code: s for s in School.objects.only("id", "cds_code", "name")}
    districts = {d.cds_code: d.pk for d in District.objects.only("id", "cds_code")}
    categories = dict(ServiceCategory.objects.values_list("slug", "id"))
    groups = dict(EquityFocusGroup.objects.values_list("slug", "id"))

    users = _users(plan, schools, source)
    partners = _partners(plan, source, schools, districts, categories, groups)
    partner_of = {spec.key: partners[i] for i, spec in enumerate(plan.partners)}
    _create(
        Contact,
        [
            Contact(
                partner=partner_of[c.partner],
                name=c.name,
                role=c.role,
                email=c.email,
                phone=c.phone,
                is_public=c.is_public,
            )
            for c in plan.contacts
        ],
        source=source,
    )
    partnerships = _partnerships(plan, partner_of, users, schools, districts, source)
    _create(
        Touchpoint,
        [
            Touchpoint(
                partner=partner_of[t.partner],
                occurred_on=t.occurred_on,
                channel=t.channel,
                summary=t.summary,
                next_step=t.next_step,
                follow_up_on=t.follow_up_on,
                follow_up_done=t.follow_up_done,
                staff=users.get(t.staff),
                fiscal_year=fiscal_year_of(t.occurred_on),
            )
            for t in plan.touchpoints
        ],
        source=source,
    )
    grants = _create(
        CommunitySchoolGrant,
        [
            CommunitySchoolGrant(
                school=schools[g.school],
                grant_type=g.grant_type,
                cohort=g.cohort,
                amount=Decimal(g.amount),
                start_date=g.start_date,
                end_date=g.end_date,
                status=g.status,
                start_fy=fiscal_year_of(g.start_date),
                end_fy=fiscal_year_of(g.end_date),
            )
            for g in plan.grants
        ],
        source=source,
        describe=lambda g: f"CCSPP {g.grant_type} grant (cohort {g.cohort})",
    )
    events = _events(plan, partner_of, users, schools, source)
    referrals = _referrals(plan, partner_of, users, schools, source)
    funding = _create(
        Funding,
        [
            Funding(
                source=f.source,
                partner=partner_of[f.partner] if f.partner is not None else None,
                amount=Decimal(f.amount),
                fiscal_year=f.fiscal_year,
                received_on=f.received_on,
                supports=f.supports,
                school=schools[f.school] if f.school else None,
            )
            for f in plan.funding
        ],
        source=source,
    )
    needs, assets = _ccspp(plan, schools, categories, events, partnerships, referrals, source)
    bulk_write_done(Partner)
    return DemoCounts(
        {
            "logins": len(users),
            "partners": len(partners),
            "contacts": len(plan.contacts),
            "partnerships": len(partnerships),
            "touchpoints": len(plan.touchpoints),
            "CCSPP grants": len(grants),
            "events": len(events),
            "referrals": len(referrals),
            "funding rows": len(funding),
            "school needs": len(needs),
            "school assets": len(assets),
            "agreements": len(plan.agreements),
        }
    )


def _ccspp(plan, schools, categories, events, partnerships, referrals, source):
    """Needs and assets of funded schools, and the pillars of events and partnerships."""
    needs = _create(
        SchoolNeed,
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
    assets = _create(
        SchoolAsset,
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
    _link(
        Event.pillars.through,
        [(events[i].pk, pillars[code]) for i, code in plan.event_pillars],
        "event",
        "pillar",
    )
    _link(
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
    return _create(PartnershipAgreement, rows, source=source)


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
    return _create(ReferralPartnerLink, links, source=source)


def _users(plan: DemoPlan, schools: dict[str, int], source: str) -> dict[str, User]:
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
    _create(User, list(users.values()), source=source, describe=lambda u: u.username)
    groups = {g.name: g for g in Group.objects.filter(name__in=[u.role for u in plan.users])}
    for spec in plan.users:
        users[spec.username].groups.add(groups[spec.role])
    profiles = _create(StaffProfile, [StaffProfile(user=u) for u in users.values()], source=source)
    rows = [
        (profile.pk, schools[code].pk)
        for profile, spec in zip(profiles, plan.users, strict=True)
        for code in spec.school_codes
    ]
    _link(StaffProfile.schools.through, rows, "staffprofile", "school")
    return users


def _partners(plan, source, schools, districts, categories, groups) -> list[Partner]:
    slugs = set(Partner.objects.values_list("slug", flat=True))
    partners = []
    for spec in plan.partners:
        base = slugify(spec.name)[:240] or "partner"
        slug, n = base, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        partners.append(
            Partner(
                name=spec.name,
                slug=slug,
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
        )
    _create(Partner, partners, source=source)
    through = Partner.service_categories.through
    pairs = zip(partners, plan.partners, strict=True)
    cats, focus, dist, sch = [], [], [], []
    for partner, spec in pairs:
        cats += [(partner.pk, categories[c]) for c in spec.categories if c in categories]
        focus += [(partner.pk, groups[g]) for g in spec.focus_groups if g in groups]
        dist += [(partner.pk, districts[d]) for d in spec.district_codes]
        sch += [(partner.pk, schools[s].pk) for s in spec.school_codes]
    _link(through, cats, "partner", "servicecategory")
    _link(Partner.equity_focus_groups.through, focus, "partner", "equityfocusgroup")
    _link(Partner.districts_served.through, dist, "partner", "district")
    _link(Partner.schools_served.through, sch, "partner", "school")
    return partners


def _partnerships(plan, partner_of, users, schools, districts, source) -> list[Partnership]:
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
    _create(Partnership, partnerships, source=source)
    pairs = list(zip(partnerships, plan.partnerships, strict=True))
    _link(
        Partnership.districts.through,
        [(obj.pk, districts[c]) for obj, spec in pairs for c in spec.district_codes],
        "partnership",
        "district",
    )
    _link(
        Partnership.schools.through,
        [(obj.pk, schools[c].pk) for obj, spec in pairs for c in spec.school_codes],
        "partnership",
        "school",
    )
    return partnerships


def _events(plan, partner_of, users, schools, source) -> list[Event]:
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
    _create(Event, events, source=source)
    EventPartner.objects.bulk_create(
        [
            EventPartner(event_id=event.pk, partner_id=partner_of[key].pk)
            for event, spec in zip(events, plan.events, strict=True)
            for key in spec.partners
        ],
        batch_size=BATCH,
    )
    return events


def _referrals(plan, partner_of, users, schools, source) -> list[Referral]:
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
    _create(Referral, referrals, source=source, describe=lambda r: f"Referral #{r.pk}")
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
_RESET_ORDER = (
    ReferralPartnerLink,
    PartnershipAgreement,
    SchoolNeed,
    SchoolAsset,
    Referral,
    Event,
    Touchpoint,
    Funding,
    Partnership,
    Contact,
    CommunitySchoolGrant,
    StaffProfile,
)


def _delete(model, ids: list[int]) -> int:
    """Delete rows by id; the count of rows of this model, not of what cascaded with them."""
    _, per_model = model.objects.filter(pk__in=ids).delete()
    return per_model.get(model._meta.label, 0)


@transaction.atomic
def demo_reset(*, actor, source: str) -> DemoCounts:
    """Delete the demo rows (found through their audit entries) and the demo logins; nothing else.

    Rows people added stay. If such a row points at a demo partner, nothing is deleted and the
    message says so.
    """
    check_channel(source)
    require_perm(actor, "crm.delete_partner")
    deleted: dict[str, int] = {}
    partner_ids = _demo_ids(Partner)
    try:
        for model in _RESET_ORDER:
            ids = _demo_ids(model)
            if model is Event:
                EventPartner.objects.filter(event_id__in=ids).delete()
            deleted[str(model._meta.verbose_name_plural)] = _delete(model, ids)
        # Review-queue pairs and merge records of demo partners go with them.
        DuplicateCandidate.objects.filter(left_id__in=partner_ids).delete()
        DuplicateCandidate.objects.filter(right_id__in=partner_ids).delete()
        MergeRecord.objects.filter(survivor_id__in=partner_ids).delete()
        MergeRecord.objects.filter(loser_id__in=partner_ids).delete()
        Partner.objects.filter(pk__in=partner_ids).update(merged_into=None)
        deleted["partners"] = _delete(Partner, partner_ids)
        deleted["logins"] = _delete(User, _demo_ids(User))
    except ProtectedError as exc:
        kinds = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects})
        raise DemoError(
            "Records added after the demo refer to demo partners or schools "
            f"({', '.join(str(k) for k in kinds)}); move or delete them first. Nothing was removed."
        ) from exc
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        channel=source,
        action="demo.reset",
        model="demo",
        object_id="-",
        object_repr="Demo data removed",
        changes={k: v for k, v in deleted.items() if v},
    )
    return DemoCounts(deleted)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, password) of the demo logins, for the command's closing table."""
    return [(u, role, pw) for u, _, _, role, pw, _ in DEMO_USERS]
