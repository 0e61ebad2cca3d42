"""The CRM's models, one module per area; import them from here."""

from crm.models.activity import Event, EventPartner, Funding, Partnership, Touchpoint
from crm.models.agreements import AgreementReminder, PartnershipAgreement, RenewalStatus
from crm.models.audit import AuditEntry
from crm.models.ccspp import Pillar, SchoolAsset, SchoolNeed
from crm.models.choices import *  # noqa: F403
from crm.models.dedup import DuplicateCandidate, DuplicateScanRun, MergeRecord
from crm.models.imports import ImportBatch
from crm.models.matcher import MatcherModel
from crm.models.notifications import Notification, NotificationVerb
from crm.models.partner_links import ReferralPartnerLink
from crm.models.partners import Contact, EquityFocusGroup, Partner, ServiceCategory
from crm.models.referrals import Referral, ReferralDisclosure, ReferralStatusChange
from crm.models.saved_views import SavedView
from crm.models.schools import CommunitySchoolGrant, District, School
from crm.models.staff import StaffProfile

__all__ = [
    "AgreementReminder",
    "AuditEntry",
    "CommunitySchoolGrant",
    "Contact",
    "District",
    "DuplicateCandidate",
    "DuplicateScanRun",
    "EquityFocusGroup",
    "Event",
    "EventPartner",
    "Funding",
    "ImportBatch",
    "MatcherModel",
    "MergeRecord",
    "Notification",
    "NotificationVerb",
    "Partner",
    "Partnership",
    "PartnershipAgreement",
    "Pillar",
    "Referral",
    "ReferralDisclosure",
    "ReferralPartnerLink",
    "ReferralStatusChange",
    "RenewalStatus",
    "SavedView",
    "School",
    "SchoolAsset",
    "SchoolNeed",
    "ServiceCategory",
    "StaffProfile",
    "Touchpoint",
]
