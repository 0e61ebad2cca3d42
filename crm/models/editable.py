"""Each entity's editable fields, declared once: services, merge, import/export columns and admin
forms take these (or a named subset of them) instead of writing the list out again."""

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
