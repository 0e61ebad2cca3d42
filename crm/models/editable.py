"""Each entity's editable fields, declared once: services, merge, import/export columns and admin
forms take these (or a named subset of them) instead of writing the list out again."""

# A partner's service details (capacity, languages, grades, hours, cost, eligibility): shown on
# the public profile, used to rank partners at referral time. languages and eligibility are lists
# of codes edited as one field each.
PARTNER_SERVICE_FIELDS = (
    "accepting_referrals",
    "monthly_capacity",
    "languages",
    "grades_from",
    "grades_to",
    "hours",
    "hours_es",
    "cost",
    "eligibility",
    "eligibility_notes",
    "eligibility_notes_es",
)
# Partner: plain fields first, then many-to-many; aliases are a list edited as one field.
PARTNER_SCALAR_FIELDS = (
    "name",
    "aliases",
    "kind",
    "status",
    "website",
    "ein",
    "phone",
    "street",
    "city",
    "zip",
    "description",
    "description_es",
    "logo",
    "public_email",
    "public_phone",
    "published",
    "internal_notes",
    *PARTNER_SERVICE_FIELDS,
)
PARTNER_M2M_FIELDS = (
    "service_categories",
    "equity_focus_groups",
    "districts_served",
    "schools_served",
)
PARTNER_FIELDS = PARTNER_SCALAR_FIELDS + PARTNER_M2M_FIELDS
# The fields the duplicate check compares (the model's comparisons read these).
PARTNER_IDENTITY_FIELDS = ("name", "website", "ein", "phone", "street", "zip")

CONTACT_FIELDS = ("name", "role", "email", "phone", "is_public", "notes")

# Districts and schools are keyed by a CDS code, set when created and never edited.
DISTRICT_FIELDS = (
    "name",
    "district_type",
    "street",
    "city",
    "zip",
    "phone",
    "website",
    "latitude",
    "longitude",
    "status",
)
SCHOOL_FIELDS = (
    "district",
    "name",
    "street",
    "city",
    "zip",
    "phone",
    "website",
    "school_type",
    "grades",
    "charter",
    "latitude",
    "longitude",
    "status",
)
# A grant's school is chosen when it is created.
GRANT_FIELDS = ("grant_type", "cohort", "amount", "start_date", "end_date", "status")


def fields_with(fields: tuple[str, ...], *, after: str, extra: tuple[str, ...]) -> tuple[str, ...]:
    """The fields with read-only ones placed after one of them, for a face that shows both."""
    at = fields.index(after) + 1
    return (*fields[:at], *extra, *fields[at:])


# Activity: each record's own fields; many-to-many sets (schools, districts, partners, pillars)
# go to the services as their own arguments.
PARTNERSHIP_FIELDS = (
    "title",
    "scope",
    "start_date",
    "end_date",
    "status",
    "strategic",
    "agreement_type",
    "lead_staff",
    "notes",
)
TOUCHPOINT_FIELDS = (
    "contact",
    "occurred_on",
    "channel",
    "summary",
    "next_step",
    "follow_up_on",
    "follow_up_done",
    "staff",
)
EVENT_FIELDS = ("school", "kind", "title", "date", "participants", "items_distributed", "notes")
FUNDING_FIELDS = ("source", "partner", "amount", "fiscal_year", "received_on", "supports", "school")
# What editing a referral may change; its school, student id and date are set when it is made.
REFERRAL_FIELDS = (
    "partner",
    "need_category",
    "grade",
    "consent_on_file",
    "consent_date",
    "contact_preference",
    "follow_up_on",
    "notes",
)
