"""Fixed vocabularies of the domain, shared by models, forms, imports, the bot and the site."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    NONPROFIT = "nonprofit", _("Community-based nonprofit")
    BUSINESS = "business", _("Business")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    HIGHER_ED = "higher_ed", _("Higher education")
    COUNTY = "county", _("County department")
    CITY = "city", _("City")
    FAITH = "faith", _("Faith-based organization")
    HEALTH = "health", _("Health provider")
    OTHER = "other", _("Other")


class PartnerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    MERGED = "merged", _("Merged into another record")


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class PartnershipScope(models.TextChoices):
    COUNTYWIDE = "countywide", _("Countywide")
    DISTRICTS = "districts", _("Districts")
    SCHOOLS = "schools", _("Schools")


class AgreementType(models.TextChoices):
    MOU = "mou", _("MOU")
    DATA_SHARING = "data_sharing", _("Data-sharing agreement")
    CONTRACT = "contract", _("Contract")
    INFORMAL = "informal", _("Informal")


class TouchpointChannel(models.TextChoices):
    SLACK = "slack", _("Slack")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email")
    EVENT = "event", _("Event")


class EventKind(models.TextChoices):
    ENGAGEMENT = "engagement", _("Engagement/support event")
    WORKSHOP = "workshop", _("Workshop/training")
    DISTRIBUTION = "distribution", _("Distribution")
    FAMILY_NIGHT = "family_night", _("Family night")
    OTHER = "other", _("Other")


class GrantType(models.TextChoices):
    PLANNING = "planning", _("Planning")
    IMPLEMENTATION = "implementation", _("Implementation")
    EXTENSION = "extension", _("Extension")
    COORDINATION = "coordination", _("Coordination")


class GrantStatus(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NeedCategory(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    FOOD = "food", _("Food")
    HOUSING = "housing", _("Housing")
    LEGAL = "legal", _("Legal aid")
    TUTORING = "tutoring", _("Tutoring/academic")
    CLOTHING = "clothing", _("Clothing and supplies")
    FAMILY = "family", _("Family support")
    OTHER = "other", _("Other")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    UNABLE_TO_REACH = "unable_to_reach", _("Unable to reach")
    NO_CAPACITY = "no_capacity", _("No capacity")
    NO_LONGER_INTERESTED = "no_longer_interested", _("No longer interested")
    CLOSED = "closed", _("Closed")


OPEN_REFERRAL_STATUSES = (
    ReferralStatus.REFERRED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_SERVICE,
)


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    TEXT = "text", _("Text message")
    IN_PERSON = "in_person", _("In person")
    DO_NOT_CONTACT = "do_not_contact", _("Do not contact")


class Channel(models.TextChoices):
    """Which face a write came through, for the audit trail."""

    ADMIN = "admin", _("Admin")
    SLACK = "slack", _("Slack")
    IMPORT = "import", _("Import")
    COMMAND = "command", _("Command")
    SITE = "site", _("Staff site")
    PARTNER = "partner", _("Partner referral link")
    SYSTEM = "system", _("System")
    API = "api", _("API")


class DuplicateLevel(models.TextChoices):
    LIKELY = "likely", _("Likely duplicate")
    POSSIBLE = "possible", _("Possible duplicate")


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    MERGED = "merged", _("Merged")
    NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")
    SKIPPED = "skipped", _("Skipped")


class PillarCode(models.TextChoices):
    """The four pillars of the California Community Schools Framework."""

    INTEGRATED_SUPPORTS = "integrated_supports", _("Integrated student supports")
    FAMILY_ENGAGEMENT = "family_engagement", _("Family and community engagement")
    COLLABORATIVE_LEADERSHIP = (
        "collaborative_leadership",
        _("Collaborative leadership and practices"),
    )
    EXTENDED_LEARNING = "extended_learning", _("Extended learning time and opportunities")


class NeedPriority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class NeedSource(models.TextChoices):
    SURVEY = "survey", _("Survey")
    DATA_REVIEW = "data_review", _("Data review")
    LISTENING_SESSION = "listening_session", _("Listening session")
    OTHER = "other", _("Other")


class AssetKind(models.TextChoices):
    PROGRAM = "program", _("On-site program")
    STAFF = "staff", _("Staff")
    FACILITY = "facility", _("Facility")
    OTHER = "other", _("Other")


class ReferralCapacity(models.TextChoices):
    """Whether a partner takes new referrals now; blank on a partner means not stated."""

    ACCEPTING = "accepting", _("Accepting new referrals")
    WAITLIST = "waitlist", _("Waitlist")
    NOT_ACCEPTING = "not_accepting", _("Not accepting new referrals")


class CostKind(models.TextChoices):
    FREE = "free", _("Free")
    SLIDING_SCALE = "sliding_scale", _("Sliding scale")
    FEE = "fee", _("Fee")


class Language(models.TextChoices):
    """Languages services are offered in: ISO 639 codes (ASL as "ase"), the county's most
    spoken home languages first after English and Spanish."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    ARMENIAN = "hy", _("Armenian")
    KOREAN = "ko", _("Korean")
    MANDARIN = "cmn", _("Mandarin")
    CANTONESE = "yue", _("Cantonese")
    TAGALOG = "tl", _("Tagalog")
    VIETNAMESE = "vi", _("Vietnamese")
    RUSSIAN = "ru", _("Russian")
    FARSI = "fa", _("Farsi")
    ARABIC = "ar", _("Arabic")
    JAPANESE = "ja", _("Japanese")
    KHMER = "km", _("Khmer")
    ASL = "ase", _("American Sign Language")


class GradeLevel(models.TextChoices):
    """Grades served, youngest first; the order is what "from" and "to" compare."""

    PRESCHOOL = "pk", _("Preschool")
    TK = "tk", _("Transitional kindergarten")
    K = "k", _("Kindergarten")
    G1 = "1", _("Grade 1")
    G2 = "2", _("Grade 2")
    G3 = "3", _("Grade 3")
    G4 = "4", _("Grade 4")
    G5 = "5", _("Grade 5")
    G6 = "6", _("Grade 6")
    G7 = "7", _("Grade 7")
    G8 = "8", _("Grade 8")
    G9 = "9", _("Grade 9")
    G10 = "10", _("Grade 10")
    G11 = "11", _("Grade 11")
    G12 = "12", _("Grade 12")
    ADULT = "adult", _("Adults (parents and caregivers)")


class EligibilityFlag(models.TextChoices):
    ANY_IMMIGRATION_STATUS = "any_immigration_status", _("Open regardless of immigration status")
    NO_INSURANCE_NEEDED = "no_insurance_needed", _("No insurance needed")
    MEDI_CAL = "medi_cal", _("Accepts Medi-Cal")
    INCOME_LIMITS = "income_limits", _("Income limits apply")
    COUNTY_RESIDENTS = "county_residents", _("LA County residents only")
    REFERRAL_REQUIRED = "referral_required", _("Needs a referral from the school")
