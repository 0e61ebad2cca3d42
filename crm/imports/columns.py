"""The columns of each kind's file, import and export alike; a partner file's are chosen from the
partner's and the contact's editable fields (crm/models/editable.py)."""

from dataclasses import dataclass

from crm.models.editable import CONTACT_FIELDS, PARTNER_SCALAR_FIELDS, REFERRAL_FIELDS

# Not in files: the Spanish text and internal notes are edited in the admin, a logo is uploaded.
PARTNER_FILE_FIELDS = tuple(
    f for f in PARTNER_SCALAR_FIELDS if f not in {"description_es", "logo", "internal_notes"}
)
# A file row carries one contact, its fields as contact_<field> columns.
CONTACT_FILE_FIELDS = tuple(f for f in CONTACT_FIELDS if f in {"name", "role", "email", "phone"})
CONTACT_FILE_COLUMNS = tuple(f"contact_{f}" for f in CONTACT_FILE_FIELDS)
PARTNER_FILE_COLUMNS = PARTNER_FILE_FIELDS + CONTACT_FILE_COLUMNS


@dataclass(frozen=True)
class FileColumns:
    """A kind's columns: those every row must fill, then the others, in file order."""

    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


PARTNERSHIP_COLUMNS = FileColumns(
    required=("partner", "start_date"),
    optional=(
        "title",
        "scope",
        "end_date",
        "status",
        "strategic",
        "agreement_type",
        "school_cds_codes",
        "notes",
    ),
)
GRANT_COLUMNS = FileColumns(
    required=("school_cds_code", "grant_type", "cohort", "start_date", "end_date"),
    optional=("amount", "status"),
)
EVENT_COLUMNS = FileColumns(
    required=("school_cds_code", "kind", "date"),
    optional=("title", "participants", "items_distributed", "partners", "notes"),
)
REFERRAL_COLUMNS = FileColumns(
    required=("school_cds_code", "partner", "student_ref", "need_category", "referred_on"),
    # Partner and need are required above; the rest of what a referral's edit may change.
    optional=tuple(f for f in REFERRAL_FIELDS if f not in {"partner", "need_category"}),
)
FUNDING_COLUMNS = FileColumns(
    required=("source", "amount", "fiscal_year"),
    optional=("partner", "received_on", "supports", "school_cds_code"),
)
