"""Writes the demo plan in bulk, with audit entries and stored fiscal years; and removes it again.

Every demo row gets an audit entry whose changes carry "demo": true: that is how --reset finds
exactly the demo rows (and nothing a person added) to delete.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError

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
    Referral,
    ReferralPartnerLink,
    School,
    SchoolAsset,
    SchoolNeed,
    ServiceCategory,
    StaffProfile,
    Touchpoint,
)
from crm.models.editable import TOUCHPOINT_FIELDS
from crm.services.base import audit_entry, check_channel, require_perm
from crm.services.demo_rows import (
    DEMO,
    built,
    ccspp_rows,
    demo_create,
    event_rows,
    partner_rows,
    partnership_rows,
    referral_rows,
    user_rows,
)
from crm.services.partners_bulk import contact_create_many


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

    users = user_rows(plan, schools, source)
    partners = partner_rows(plan, source, schools, districts, categories, groups)
    partner_of = {spec.key: partners[i] for i, spec in enumerate(plan.partners)}
    contact_create_many(
        contacts=built(
            Contact,
            plan.contacts,
            same=("name", "role", "email", "phone", "is_public"),
            partner=lambda c: partner_of[c.partner],
        ),
        actor=None,
        source=source,
        details=[DEMO] * len(plan.contacts),
    )
    partnerships = partnership_rows(plan, partner_of, users, schools, districts, source)
    demo_create(
        built(
            Touchpoint,
            plan.touchpoints,
            same=tuple(f for f in TOUCHPOINT_FIELDS if f not in {"contact", "staff"}),
            partner=lambda t: partner_of[t.partner],
            staff=lambda t: users.get(t.staff),
            fiscal_year=lambda t: fiscal_year_of(t.occurred_on),
        ),
        source=source,
    )
    grants = demo_create(
        built(
            CommunitySchoolGrant,
            plan.grants,
            same=("grant_type", "cohort", "start_date", "end_date", "status"),
            school=lambda g: schools[g.school],
            amount=lambda g: Decimal(g.amount),
            start_fy=lambda g: fiscal_year_of(g.start_date),
            end_fy=lambda g: fiscal_year_of(g.end_date),
        ),
        source=source,
        describe=lambda g: f"CCSPP {g.grant_type} grant (cohort {g.cohort})",
    )
    events = event_rows(plan, partner_of, users, schools, source)
    referrals = referral_rows(plan, partner_of, users, schools, source)
    funding = demo_create(
        built(
            Funding,
            plan.funding,
            same=("source", "fiscal_year", "received_on", "supports"),
            partner=lambda f: partner_of[f.partner] if f.partner is not None else None,
            amount=lambda f: Decimal(f.amount),
            school=lambda f: schools[f.school] if f.school else None,
        ),
        source=source,
    )
    needs, assets = ccspp_rows(plan, schools, categories, events, partnerships, referrals, source)
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
    audit_entry(
        actor=actor,
        source=source,
        action="demo.reset",
        model="demo",
        object_id="-",
        object_repr="Demo data removed",
        changes={k: v for k, v in deleted.items() if v},
    ).save()
    return DemoCounts(deleted)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, password) of the demo logins, for the command's closing table."""
    return [(u, role, pw) for u, _, _, role, pw, _ in DEMO_USERS]
