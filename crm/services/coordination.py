"""Community-school writes beyond single records: a term's events from a sign-in sheet (strict:
all rows or none), and anonymising closed referrals past the retention period.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from crm.imports import cells
from crm.models import (
    Event,
    EventKind,
    Partner,
    Referral,
    ReferralDisclosure,
    ReferralStatusChange,
    School,
)
from crm.selectors.coordination import name_key, partner_name_lookup
from crm.services.activity import event_create
from crm.services.base import (
    audit_record,
    check_channel,
    require_perm,
    require_school,
    validated_save,
)
from crm.services.referrals import CLOSED_STATUSES
from crm.signals import bulk_write_done

SIGNIN_COLUMNS = ("date", "kind", "title", "participants", "items_distributed", "partners", "notes")
SIGNIN_REQUIRED = ("date", "kind")
SIGNIN_MAX_ROWS = 500


class SignInSheetError(ValidationError):
    """A sign-in sheet had bad rows; `.row_errors` lists "Row n: problem" lines."""

    def __init__(self, row_errors: list[str]):
        self.row_errors = row_errors
        super().__init__(row_errors, code="signin_sheet")


def _parse_date(text: str) -> dt.date:
    # The import's date reader, with this sheet's wording of the refusal.
    try:
        return cells.date(text)
    except cells.CellError:
        raise ValueError(f"date {text!r} is not a date (use YYYY-MM-DD or MM/DD/YYYY)") from None


def _parse_count(text: str, name: str) -> int:
    if not text:
        return 0
    try:
        value = int(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a whole number") from None
    if value < 0:
        raise ValueError(f"{name} cannot be negative")
    return value


def _kind_lookup() -> dict[str, str]:
    lookup = {}
    for kind in EventKind:
        lookup[kind.value.casefold()] = kind.value
        lookup[str(kind.label).casefold()] = kind.value
    return lookup


@dataclass
class _SheetRow:
    date: dt.date
    kind: str
    title: str
    participants: int
    items_distributed: int
    partner_ids: list[int]
    notes: str


def _read_row(
    number: int, raw: Mapping, *, kinds: dict, partners: dict, today: dt.date
) -> tuple[_SheetRow | None, list[str]]:
    row = {
        str(k or "").strip().lower().replace(" ", "_"): (v or "").strip() for k, v in raw.items()
    }
    problems = [f"{name} is missing" for name in SIGNIN_REQUIRED if not row.get(name)]
    if problems:
        return None, [f"Row {number}: {p}." for p in problems]
    parsed: dict = {}
    try:
        parsed["date"] = _parse_date(row["date"])
        if parsed["date"] > today:
            problems.append(f"date {parsed['date']} is in the future")
    except ValueError as exc:
        problems.append(str(exc))
    parsed["kind"] = kinds.get(row["kind"].casefold())
    if parsed["kind"] is None:
        choices = ", ".join(str(k.label) for k in EventKind)
        problems.append(f"kind {row['kind']!r} is not one of: {choices}")
    for name in ("participants", "items_distributed"):
        try:
            parsed[name] = _parse_count(row.get(name, ""), name.replace("_", " "))
        except ValueError as exc:
            problems.append(str(exc))
    partner_ids = []
    for name in filter(None, (p.strip() for p in row.get("partners", "").split(";"))):
        pk = partners.get(name_key(name))
        if pk is None:
            problems.append(f"partner {name!r} is not a known partner (check the spelling)")
        else:
            partner_ids.append(pk)
    if problems:
        return None, [f"Row {number}: {p}." for p in problems]
    return (
        _SheetRow(
            date=parsed["date"],
            kind=parsed["kind"],
            title=row.get("title", "")[:255],
            participants=parsed["participants"],
            items_distributed=parsed["items_distributed"],
            partner_ids=partner_ids,
            notes=row.get("notes", ""),
        ),
        [],
    )


@transaction.atomic
def event_import_signin_sheet(
    *, school: School, rows: Iterable[Mapping], actor, source: str
) -> list[Event]:
    """Record a term's events from sign-in-sheet rows (dicts keyed by SIGNIN_COLUMNS).

    Strict: when any row is bad, SignInSheetError lists every bad row and nothing is written.
    Rows are numbered as in the spreadsheet, the header being row 1.
    """
    check_channel(source)
    require_perm(actor, "crm.add_event")
    require_school(actor, school.pk)
    rows = list(rows)
    if not rows:
        raise SignInSheetError(["The sheet has no rows under its header."])
    if len(rows) > SIGNIN_MAX_ROWS:
        raise SignInSheetError([f"The sheet has {len(rows)} rows; the limit is {SIGNIN_MAX_ROWS}."])
    kinds, partners = _kind_lookup(), partner_name_lookup()
    today = timezone.localdate()
    parsed, errors = [], []
    for number, raw in enumerate(rows, start=2):
        row, problems = _read_row(number, raw, kinds=kinds, partners=partners, today=today)
        errors.extend(problems)
        if row is not None:
            parsed.append(row)
    if errors:
        raise SignInSheetError(errors)
    partner_objects = Partner.objects.in_bulk({pk for row in parsed for pk in row.partner_ids})
    events = []
    for number, row in enumerate(parsed, start=2):
        try:
            events.append(
                event_create(
                    school=school,
                    kind=row.kind,
                    date=row.date,
                    title=row.title,
                    participants=row.participants,
                    items_distributed=row.items_distributed,
                    partners=[partner_objects[pk] for pk in row.partner_ids],
                    notes=row.notes,
                    actor=actor,
                    source=source,
                )
            )
        except ValidationError as exc:
            # Raising here rolls back every event already written from this sheet.
            raise SignInSheetError([f"Row {number}: {'; '.join(exc.messages)}"]) from exc
    return events


@dataclass
class AnonymiseResult:
    cutoff: dt.date
    referral_ids: list[int] = field(default_factory=list)
    dry_run: bool = True

    @property
    def count(self) -> int:
        return len(self.referral_ids)


def retention_cutoff(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=int(settings.REFERRAL_RETENTION_DAYS))


def expired_referrals(today: dt.date):
    """Closed, not yet anonymised referrals whose last status change is past the retention."""
    return Referral.objects.filter(
        status__in=CLOSED_STATUSES,
        status_changed_on__lt=retention_cutoff(today),
        anonymised_at__isnull=True,
    ).order_by("id")


def _token() -> str:
    while True:
        token = f"ANON-{secrets.token_hex(6)}"
        if not Referral.objects.filter(student_ref=token).exists():
            return token


@transaction.atomic
def referral_anonymise_expired(
    *, today: dt.date, dry_run: bool, actor, source: str
) -> AnonymiseResult:
    """Strip the personal parts of closed referrals older than REFERRAL_RETENTION_DAYS.

    The rows stay (school, partner, need, status, dates), so every aggregate count is unchanged;
    the student id becomes a random token and free text about the family is cleared.
    """
    check_channel(source)
    require_perm(actor, "crm.delete_referral")
    result = AnonymiseResult(cutoff=retention_cutoff(today), dry_run=dry_run)
    expired = list(expired_referrals(today).select_for_update())
    result.referral_ids = [r.pk for r in expired]
    if dry_run or not expired:
        return result
    now = timezone.now()
    for referral in expired:
        referral.student_ref = _token()
        referral.notes = referral.outcome = referral.grade = ""
        referral.anonymised_at = now
        referral.version += 1
        validated_save(referral)
        audit_record(
            actor=actor,
            source=source,
            action="referral.anonymise",
            instance=referral,
            changes={"cleared": ["student_ref", "grade", "notes", "outcome", "reasons"]},
        )
    ReferralDisclosure.objects.filter(referral_id__in=result.referral_ids).update(student_ref="")
    ReferralStatusChange.objects.filter(referral_id__in=result.referral_ids).update(reason="")
    bulk_write_done(Referral)
    return result
