"""Writes to the vocabularies (service categories, equity focus groups) and staff profiles."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from crm.models import EquityFocusGroup, Pillar, PillarCode, ServiceCategory, StaffProfile
from crm.services.base import (
    apply_changes,
    audit_record,
    check_channel,
    require_perm,
    set_many,
    validated_save,
)

VOCABULARY_FIELDS = {"slug", "name", "name_es"}
STAFF_PROFILE_FIELDS = {"slack_user_id", "slack_team_id", "phone", "wants_digest"}
Vocabulary = ServiceCategory | EquityFocusGroup

_SUPPORTS, _FAMILY, _EXTENDED = (
    PillarCode.INTEGRATED_SUPPORTS,
    PillarCode.FAMILY_ENGAGEMENT,
    PillarCode.EXTENDED_LEARNING,
)
# The pillars a seeded service category starts with; staff change them in the admin afterwards.
SERVICE_CATEGORY_PILLARS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("health", "mental-health", "food-security", "housing", "legal", "basic-needs"),
        (_SUPPORTS,),
    ),
    "digital-access": (_SUPPORTS,),
    "family-engagement": (_FAMILY,),
    "adult-education": (_FAMILY,),
    "early-childhood": (_FAMILY, _SUPPORTS),
    **dict.fromkeys(
        ("academic-support", "arts", "youth-development", "sports-recreation", "college-access"),
        (_EXTENDED,),
    ),
    "workforce": (_EXTENDED,),
}


@transaction.atomic
def vocabulary_term_save(
    *,
    model: type[Vocabulary],
    data: dict,
    actor,
    source: str,
    term: Vocabulary | None = None,
    pillars: Iterable | None = None,
) -> Vocabulary:
    """Create a service category or equity focus group (term None) or change an existing one;
    `pillars` (service categories only) replaces the category's CCSPP pillars."""
    check_channel(source)
    if model not in (ServiceCategory, EquityFocusGroup):
        raise ValueError(f"{model.__name__} is not a vocabulary.")
    if pillars is not None and model is not ServiceCategory:
        raise ValueError("Only service categories carry CCSPP pillars.")
    verb = "add" if term is None else "change"
    require_perm(actor, f"crm.{verb}_{model._meta.model_name}")
    term = term if term is not None else model()
    changes = apply_changes(term, data, allowed=VOCABULARY_FIELDS)
    if changes or verb == "add":
        validated_save(term)
    set_many(term, "pillars", pillars, changes)
    if changes or verb == "add":
        audit_record(
            actor=actor,
            source=source,
            action=f"{model._meta.model_name}.{'create' if verb == 'add' else 'update'}",
            instance=term,
            changes=changes,
        )
    return term


def service_category_default_pillars(categories: Iterable[ServiceCategory]) -> dict[int, list]:
    """Tag newly seeded categories with their default pillars (SERVICE_CATEGORY_PILLARS); the
    caller is the seeding service, which audits. Returns each tagged category's pillar ids."""
    pillars = dict(Pillar.objects.values_list("code", "pk"))
    tagged = {
        c.pk: sorted(pillars[code] for code in SERVICE_CATEGORY_PILLARS[c.slug] if code in pillars)
        for c in categories
        if c.slug in SERVICE_CATEGORY_PILLARS
    }
    through = ServiceCategory.pillars.through
    through.objects.bulk_create(
        [through(servicecategory_id=c, pillar_id=p) for c, ids in tagged.items() for p in ids],
        ignore_conflicts=True,
    )
    return tagged


@transaction.atomic
def staff_profile_save(
    *,
    data: dict,
    actor,
    source: str,
    profile: StaffProfile | None = None,
    user=None,
    schools: Iterable | None = None,
) -> StaffProfile:
    """Create the CRM profile of `user` (profile None) or change one: Slack id, schools, phone."""
    check_channel(source)
    require_perm(actor, "crm.add_staffprofile" if profile is None else "crm.change_staffprofile")
    created = profile is None
    profile = profile if profile is not None else StaffProfile(user=user)
    # A blank Slack id means "none"; stored as NULL so the unique constraint ignores it.
    if "slack_user_id" in data:
        data = {**data, "slack_user_id": (data["slack_user_id"] or "").strip() or None}
    changes = apply_changes(profile, data, allowed=STAFF_PROFILE_FIELDS)
    validated_save(profile)
    set_many(profile, "schools", schools, changes)
    if created or changes:
        audit_record(
            actor=actor,
            source=source,
            action="staffprofile.create" if created else "staffprofile.update",
            instance=profile,
            changes={"user": profile.user_id, **changes},
        )
    return profile
