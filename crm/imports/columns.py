"""The columns of a partner file, import and export alike, chosen from the partner's and the
contact's editable fields (crm/models/editable.py)."""

from crm.models.editable import CONTACT_FIELDS, PARTNER_SCALAR_FIELDS

# Not in files: the Spanish text and internal notes are edited in the admin, a logo is uploaded.
PARTNER_FILE_FIELDS = tuple(
    f for f in PARTNER_SCALAR_FIELDS if f not in {"description_es", "logo", "internal_notes"}
)
# A file row carries one contact, its fields as contact_<field> columns.
CONTACT_FILE_FIELDS = tuple(f for f in CONTACT_FIELDS if f in {"name", "role", "email", "phone"})
CONTACT_FILE_COLUMNS = tuple(f"contact_{f}" for f in CONTACT_FILE_FIELDS)
PARTNER_FILE_COLUMNS = PARTNER_FILE_FIELDS + CONTACT_FILE_COLUMNS
