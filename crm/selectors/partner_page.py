"""The partner page's reads: one activity timeline across every record that names the partner,
its contacts and its possible duplicates; referrals only for those allowed to see them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from crm.models import Funding, MergeRecord, Partner, Partnership, Touchpoint
from crm.selectors.coordination import events_visible_to, referrals_visible_to
from crm.selectors.partners import partner_matches
from crm.selectors.staff import staff_name

TIMELINE_LIMIT = 50


@dataclass(frozen=True)
class Moment:
    on: dt.date
    kind: str
    text: str
    url_name: str = ""
    pk: int | None = None


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def partner_timeline(partner: Partner, *, user, limit: int = TIMELINE_LIMIT) -> list[Moment]:
    """Newest first: touchpoints, events, partnerships starting and ending, referrals (for the
    schools the user may see), funding and merges. One query per kind, however many rows."""
    moments: list[Moment] = []
    if user.has_perm("crm.view_touchpoint"):
        for tp in Touchpoint.objects.filter(partner=partner).select_related("staff")[:limit]:
            who = staff_name(tp.staff)
            text = f"{tp.get_channel_display()}{f' with {who}' if who else ''}: {tp.summary}"
            moments.append(Moment(tp.occurred_on, "Touchpoint", text, "crm_touchpoint:edit", tp.pk))
    if user.has_perm("crm.view_event"):
        events = events_visible_to(user).filter(partners=partner).order_by("-date")[:limit]
        for event in events:
            text = f"{event.title or event.get_kind_display()} at {event.school.name}"
            moments.append(Moment(event.date, "Event", text, "event:inspect", event.pk))
    if user.has_perm("crm.view_partnership"):
        for p in Partnership.objects.filter(partner=partner).order_by("-start_date")[:limit]:
            name = p.title or p.get_agreement_type_display()
            moments.append(
                Moment(p.start_date, "Partnership starts", name, "crm_partnership:edit", p.pk)
            )
            if p.end_date:
                moments.append(
                    Moment(p.end_date, "Partnership ends", name, "crm_partnership:edit", p.pk)
                )
    for r in referrals_visible_to(user).filter(partner=partner).order_by("-referred_on")[:limit]:
        text = f"{r} · {r.school.name} · {r.get_status_display()}"
        moments.append(Moment(r.referred_on, "Referral", text, "referral:inspect", r.pk))
    if user.has_perm("crm.view_funding"):
        for f in Funding.objects.filter(partner=partner).order_by("-fiscal_year")[:limit]:
            day = f.received_on or _local_day(f.created_at)
            text = f"${f.amount:,.0f} from {f.source}{f' for {f.supports}' if f.supports else ''}"
            moments.append(Moment(day, "Funding", text, "crm_funding:edit", f.pk))
    merges = MergeRecord.objects.filter(survivor=partner).select_related("loser")[:limit]
    for m in merges:
        state = " (undone)" if m.undone_at else ""
        moments.append(Moment(_local_day(m.merged_at), "Merge", f"{m.loser.name} merged in{state}"))
    moments.sort(key=lambda m: m.on, reverse=True)
    return moments[:limit]


def partner_possible_duplicates(partner: Partner) -> list:
    """Live partners the matcher finds close to this one (itself left out), best first."""
    if partner.merged_into_id:
        return []
    return partner_matches(
        name=partner.name,
        aliases=tuple(a for a in (partner.aliases or []) if isinstance(a, str)),
        website=partner.website,
        ein=partner.ein,
        phone=partner.phone,
        street=partner.street,
        zip=partner.zip,
        exclude_ids=(partner.pk,),
        limit=5,
    )
