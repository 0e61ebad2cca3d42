"""Exports as CSV or XLSX files; exporting student-level referrals is recorded as a disclosure."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from crm.imports.resources import RESOURCES
from crm.models import ReferralDisclosure
from crm.selectors.exports import export_queryset
from crm.services.disclosures import disclosure_record

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@transaction.atomic
def export_file(
    *, kind: str, user, fmt: str = "csv", within: QuerySet | None = None
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of every row of `kind` the user may see, in the
    import columns; `within` narrows it to a filtered admin listing's rows."""
    if fmt not in CONTENT_TYPES:
        raise ValueError("Choose csv or xlsx.")
    queryset = export_queryset(kind, user)
    if within is not None:
        queryset = queryset.filter(pk__in=within.order_by().values("pk"))
    resource = RESOURCES[kind]()
    # Only the columns the person may see in the admin (an empty selection would mean "all").
    columns = resource.columns_for(user)
    if not columns:
        raise PermissionDenied("You may not export these records.")
    dataset = resource.export(queryset, export_fields=columns)
    if kind == "referrals":
        # One entry per exported referral, so a student's disclosures can be listed.
        disclosure_record(
            actor=user,
            source="admin",
            action=ReferralDisclosure.EXPORT,
            referrals=queryset.values_list("pk", "student_ref"),
            detail=f"{fmt} export of {len(dataset)} referral(s)",
        )
    content = dataset.export(fmt)
    if isinstance(content, str):
        # The BOM lets Excel open UTF-8 with Spanish names intact.
        content = "\ufeff" + content
        content = content.encode("utf-8")
    name = f"partnerbase-{kind}-{timezone.localdate():%Y%m%d}.{fmt}"
    return content, CONTENT_TYPES[fmt], name
