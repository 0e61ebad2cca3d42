"""Open Referral HSDS 3 JSON views: organizations, services and locations, paginated in the
HSDS page format and cached until the CRM data changes. Only public fields are written."""

from __future__ import annotations

import uuid

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from cms.caching import cached
from crm.models import Language, ReferralCapacity
from crm.selectors.hsds import (
    feed_id,
    feed_locations,
    feed_partner,
    feed_partners,
    feed_services,
    parse_feed_id,
)
from crm.selectors.service_details import (
    capacity_text,
    cost_text,
    eligibility_labels,
    grades_text,
)
from crm.weblinks import safe_href

HSDS_VERSION = "3.0"
PER_PAGE = 50
MAX_PER_PAGE = 200


def _web_url(website: str) -> str:
    # Only an http(s) address ever leaves the feed, whatever was stored.
    return safe_href(website)


def _set(out: dict, key: str, value) -> dict:
    if value not in ("", None):
        out[key] = value
    return out


def organization_json(p) -> dict:
    out = {"id": feed_id("organization", p.pk), "name": p.name, "description": p.description}
    _set(out, "email", p.public_email)
    _set(out, "website", _web_url(p.website))
    return out


def _eligibility(partner) -> str:
    grades = grades_text(partner.grades_from, partner.grades_to)
    parts = [f"Grades served: {grades}." if grades else ""]
    flags = eligibility_labels(partner)
    parts.append("; ".join(flags) + "." if flags else "")
    parts.append(partner.eligibility_notes.strip())
    return " ".join(p for p in parts if p)


def _service_details(out: dict, partner) -> dict:
    """The partner's service details in the HSDS fields that hold them; nested records get
    ids derived from the service's, so they are stable from one read to the next."""
    service_id = out["id"]

    def child_id(name: str) -> str:
        return str(uuid.uuid5(uuid.UUID(service_id), name))

    chosen, names = set(partner.languages or ()), dict(Language.choices)
    languages = [
        {
            "id": child_id(f"language:{code}"),
            "service_id": service_id,
            "name": str(names[code]),
            "code": code,
        }
        for code in Language.values
        if code in chosen
    ]
    if languages:
        out["languages"] = languages
    if partner.hours.strip():
        out["schedules"] = [
            {
                "id": child_id("schedule"),
                "service_id": service_id,
                "description": partner.hours.strip(),
            }
        ]
    _set(out, "fees_description", cost_text(partner))
    _set(out, "eligibility_description", _eligibility(partner))
    if partner.accepting_referrals in (ReferralCapacity.WAITLIST, ReferralCapacity.NOT_ACCEPTING):
        out["alert"] = capacity_text(partner)
    return out


def service_json(link) -> dict:
    partner, category = link.partner, link.servicecategory
    out = {
        "id": feed_id("service", partner.pk, category.pk),
        "organization_id": feed_id("organization", partner.pk),
        "name": f"{category.name}: {partner.name}",
        "description": partner.description,
        "status": "active",
    }
    _set(out, "email", partner.public_email)
    _set(out, "url", _web_url(partner.website))
    return _service_details(out, partner)


def location_json(school) -> dict:
    location_id = feed_id("location", school.pk)
    out = {"id": location_id, "location_type": "physical", "name": school.name}
    if school.latitude is not None and school.longitude is not None:
        out["latitude"] = float(school.latitude)
        out["longitude"] = float(school.longitude)
    if school.street and school.city and school.zip:
        out["addresses"] = [
            {
                "id": feed_id("location", school.pk, 1),
                "location_id": location_id,
                "address_1": school.street,
                "city": school.city,
                "state_province": "CA",
                "postal_code": school.zip,
                "country": "US",
                "address_type": "physical",
            }
        ]
    return out


def _positive(request, name: str, default: int, ceiling: int) -> int:
    raw = request.GET.get(name, "")
    return min(int(raw), ceiling) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) else default


def _page(request, name: str, queryset_factory, render) -> dict:
    size = _positive(request, "per_page", PER_PAGE, MAX_PER_PAGE)
    number = _positive(request, "page", 1, 10**6)

    def compute() -> dict:
        queryset = queryset_factory()
        total = queryset.count()
        pages = max(1, -(-total // size))
        page = min(number, pages)
        rows = list(queryset[(page - 1) * size : page * size])
        return {
            "total_items": total,
            "total_pages": pages,
            "page_number": page,
            "size": len(rows),
            "first_page": page == 1,
            "last_page": page == pages,
            "empty": not rows,
            "contents": [render(row) for row in rows],
        }

    return cached("hsds", f"{name}:{size}:{number}", compute)


def _respond(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _lookup(item_id: str, kind: str) -> tuple[int, int]:
    parsed = parse_feed_id(item_id)
    if parsed is None or parsed[0] != kind:
        raise Http404("No such record in this feed.")
    return parsed[1], parsed[2]


public = cache_control(max_age=300, public=True)


@require_safe
@public
def index(request):
    return _respond(
        {
            "version": HSDS_VERSION,
            "endpoints": {
                name: request.build_absolute_uri(reverse(f"hsds:{name}"))
                for name in ("organizations", "services", "locations")
            },
        }
    )


@require_safe
@public
def organizations(request):
    return _respond(_page(request, "organizations", feed_partners, organization_json))


@require_safe
@public
def organization(request, item_id: str):
    pk, _ = _lookup(item_id, "organization")

    def compute():
        partner = feed_partner(pk)
        return None if partner is None else organization_json(partner)

    data = cached("hsds-org", str(pk), compute)
    if data is None:
        raise Http404("No such record in this feed.")
    return _respond(data)


@require_safe
@public
def services(request):
    return _respond(_page(request, "services", feed_services, service_json))


@require_safe
@public
def service(request, item_id: str):
    pk, category = _lookup(item_id, "service")
    link = feed_services().filter(partner_id=pk, servicecategory_id=category).first()
    if link is None:
        raise Http404("No such record in this feed.")
    return _respond(service_json(link))


@require_safe
@public
def locations(request):
    return _respond(_page(request, "locations", feed_locations, location_json))


@require_safe
@public
def location(request, item_id: str):
    pk, _ = _lookup(item_id, "location")
    school = feed_locations().filter(pk=pk).first()
    if school is None:
        raise Http404("No such record in this feed.")
    return _respond(location_json(school))
