"""The CRM's models, one module per area; import them from here."""

from crm.models.activity import Event, EventPartner, Funding, Partnership, Touchpoint
from crm.models.audit import AuditEntry
from crm.models.choices import *  # noqa: F403
from crm.models.dedup import DuplicateCandidate, MergeRecord
from crm.models.imports import ImportBatch
from crm.models.matcher import MatcherModel
from crm.models.partners import Contact, EquityFocusGroup, Partner, ServiceCategory
from crm.models.referrals import Referral, ReferralDisclosure, ReferralStatusChange
from crm.models.schools import CommunitySchoolGrant, District, School
from crm.models.staff import StaffProfile

__all__ = [
    "AuditEntry",
    "CommunitySchoolGrant",
    "Contact",
    "District",
    "DuplicateCandidate",
    "EquityFocusGroup",
    "Event",
    "EventPartner",
    "Funding",
    "ImportBatch",
    "MatcherModel",
    "MergeRecord",
    "Partner",
    "Partnership",
    "Referral",
    "ReferralDisclosure",
    "ReferralStatusChange",
    "School",
    "ServiceCategory",
    "StaffProfile",
    "Touchpoint",
]
