"""What a merge of two partners does with every relation of Partner, and which fields the person
chooses between. A test fails for any relation without a rule, so a new model pointing at
Partner cannot be forgotten here."""

from __future__ import annotations

from crm.models import Contact, Funding, Partner, Partnership, Referral, Touchpoint
from crm.models.editable import PARTNER_M2M_FIELDS, PARTNER_SCALAR_FIELDS

# What a merge does with each kind of relation.
CHOOSE = "choose"  # a partner field the person picks survivor's or loser's value for
KEEP = "keep"  # stays as the survivor has it (bookkeeping, not data about the organization)
POINTER = "pointer"  # Partner.merged_into itself: set on the loser
MOVE = "move"  # rows pointing at the loser are re-pointed at the survivor
MOVE_UNIQUE = "move_unique"  # moved; a row the survivor already has is set aside and recorded
UNION = "union"  # many-to-many: the survivor gets the union, the loser's set is recorded
VIA = "via"  # handled through another relation (auto-created through tables, Event.partners)
CHAIN = "chain"  # partners merged into the loser earlier now point at the survivor
CLOSE = "close"  # review-queue pairs involving the loser are closed
HISTORY = "history"  # merge records: history of merges, never rewritten

# Key: "app_label.Model.field" of the field holding the link; "<- " marks a reverse relation,
# named by the field on the other model that points at Partner (see relation_key).
RELATION_RULES: dict[str, str] = {
    "crm.Partner.logo": CHOOSE,
    "crm.Partner.created_by": KEEP,
    "crm.Partner.merged_into": POINTER,
    "crm.Partner.service_categories": UNION,
    "crm.Partner.equity_focus_groups": UNION,
    "crm.Partner.districts_served": UNION,
    "crm.Partner.schools_served": UNION,
    "<- crm.Partner_service_categories.partner": VIA,
    "<- crm.Partner_equity_focus_groups.partner": VIA,
    "<- crm.Partner_districts_served.partner": VIA,
    "<- crm.Partner_schools_served.partner": VIA,
    "<- crm.Partner.merged_into": CHAIN,
    "<- crm.Contact.partner": MOVE,
    "<- crm.Partnership.partner": MOVE,
    "<- crm.Touchpoint.partner": MOVE,
    "<- crm.Funding.partner": MOVE,
    "<- crm.Referral.partner": MOVE,
    "<- crm.EventPartner.partner": MOVE_UNIQUE,
    "<- crm.Event.partners": VIA,
    "<- crm.DuplicateCandidate.left": CLOSE,
    "<- crm.DuplicateCandidate.right": CLOSE,
    "<- crm.MergeRecord.survivor": HISTORY,
    "<- crm.MergeRecord.loser": HISTORY,
}

# Rows moved with a plain re-point, by snapshot key.
MOVED_MODELS = {
    "contacts": Contact,
    "partnerships": Partnership,
    "touchpoints": Touchpoint,
    "funding": Funding,
    "referrals": Referral,
}
M2M_FIELDS = PARTNER_M2M_FIELDS

# Fields the person chooses between: every editable scalar field. Aliases are always the union
# of both names and aliases; the many-to-many sets are always the union.
CHOOSABLE_FIELDS = tuple(f for f in PARTNER_SCALAR_FIELDS if f != "aliases")
SURVIVOR, LOSER = "survivor", "loser"


def relation_key(field) -> str:
    """The registry key of one entry of Partner._meta.get_fields(include_hidden=True)."""
    if field.auto_created and not field.concrete:
        # A reverse relation: name it by the model and field that point at Partner.
        remote = field.field
        return f"<- {remote.model._meta.label}.{remote.name}"
    return f"{field.model._meta.label}.{field.name}"


def partner_relations() -> list:
    return [f for f in Partner._meta.get_fields(include_hidden=True) if f.is_relation]
