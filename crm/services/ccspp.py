"""Needs and assets of community schools: writes, scoped to the schools a coordinator holds."""

from __future__ import annotations

from django.db import transaction

from crm.models import Pillar, PillarCode, SchoolAsset, SchoolNeed
from crm.services.base import (
    apply_changes,
    audit_record,
    check_channel,
    require_perm,
    require_school,
    validated_save,
)

NEED_FIELDS = {"school", "fiscal_year", "category", "description", "priority", "source"}
ASSET_FIELDS = {"school", "fiscal_year", "kind", "name", "category", "notes"}


PILLAR_NAMES_ES = {
    PillarCode.INTEGRATED_SUPPORTS: "Apoyos integrados para estudiantes",
    PillarCode.FAMILY_ENGAGEMENT: "Participación de las familias y la comunidad",
    PillarCode.COLLABORATIVE_LEADERSHIP: "Liderazgo y prácticas colaborativas",
    PillarCode.EXTENDED_LEARNING: "Más tiempo y oportunidades de aprendizaje",
}


def pillars_ensure() -> int:
    """Create any of the four CCSPP pillars that is missing; returns how many were created."""
    have = set(Pillar.objects.values_list("code", flat=True))
    missing = [
        Pillar(code=code, name=str(label), name_es=PILLAR_NAMES_ES[code], position=position)
        for position, (code, label) in enumerate(PillarCode.choices)
        if code not in have
    ]
    Pillar.objects.bulk_create(missing)
    return len(missing)


def _clean_text(data: dict, *names: str) -> dict:
    return {k: (v.strip() if k in names and isinstance(v, str) else v) for k, v in data.items()}


@transaction.atomic
def need_create(*, data: dict, actor, source: str) -> SchoolNeed:
    """Record a need of a school for a fiscal year (a category, a description, or both)."""
    check_channel(source)
    require_perm(actor, "crm.add_schoolneed")
    need = SchoolNeed(recorded_by=actor if getattr(actor, "pk", None) else None)
    changes = apply_changes(need, _clean_text(data, "description"), allowed=NEED_FIELDS)
    require_school(actor, need.school_id)
    validated_save(need)
    audit_record(actor=actor, source=source, action="need.create", instance=need, changes=changes)
    return need


@transaction.atomic
def need_update(*, need: SchoolNeed, data: dict, actor, source: str) -> SchoolNeed:
    check_channel(source)
    require_perm(actor, "crm.change_schoolneed")
    require_school(actor, need.school_id)
    changes = apply_changes(need, _clean_text(data, "description"), allowed=NEED_FIELDS)
    # A coordinator may not move a need to a school she does not hold.
    require_school(actor, need.school_id)
    validated_save(need)
    if changes:
        audit_record(
            actor=actor, source=source, action="need.update", instance=need, changes=changes
        )
    return need


@transaction.atomic
def asset_create(*, data: dict, actor, source: str) -> SchoolAsset:
    check_channel(source)
    require_perm(actor, "crm.add_schoolasset")
    asset = SchoolAsset()
    changes = apply_changes(asset, _clean_text(data, "name", "notes"), allowed=ASSET_FIELDS)
    require_school(actor, asset.school_id)
    validated_save(asset)
    audit_record(actor=actor, source=source, action="asset.create", instance=asset, changes=changes)
    return asset


@transaction.atomic
def asset_update(*, asset: SchoolAsset, data: dict, actor, source: str) -> SchoolAsset:
    check_channel(source)
    require_perm(actor, "crm.change_schoolasset")
    require_school(actor, asset.school_id)
    changes = apply_changes(asset, _clean_text(data, "name", "notes"), allowed=ASSET_FIELDS)
    require_school(actor, asset.school_id)
    validated_save(asset)
    if changes:
        audit_record(
            actor=actor, source=source, action="asset.update", instance=asset, changes=changes
        )
    return asset
