"""Faces of a CCSPP progress pack: tables, then text, CSV, XLSX (a sheet per section) and PDF.

Every format renders the same `pack_tables`, so their numbers agree by construction. Counts of
referrals and of people referred from 1 to 10 read "fewer than 11", as on the public site.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from crm.exports import neutralise, neutralise_row
from crm.fiscal import fy_label
from crm.reports.packs import Figures, ProgressPack, school_figures, suppress
from crm.reports.render import Table, pdf_document, text_table

SCOPES = {"school": "School", "district": "District (LEA)", "county": "County"}
DEFINITIONS = (
    "Fiscal year: July 1 to June 30.",
    "CCSPP-funded: the school holds a CCSPP grant (not withdrawn) active in the fiscal year.",
    "Direct services: events recorded at the school in the fiscal year, by kind.",
    "Referrals: made in the fiscal year; individuals are distinct pseudonymous ids per school. "
    "Counts from 1 to 10 are shown as 'fewer than 11'. No student-level rows are included.",
    "Closed-loop outcome: completed; closed without service (declined, unable to reach, no "
    "capacity, no longer interested, closed); still open (referred, accepted, in service).",
    "Partners serving: active partner organizations that list the school, or its district, "
    "among those they serve. Partnerships: active in the fiscal year and naming the school.",
    "A need is met when an active partner serving the school offers its service category.",
    "Pillars: events and partnerships tagged with each pillar of the California Community "
    "Schools Framework.",
    "Services by pillar: referrals made in the fiscal year, counted under each pillar of the "
    "service categories that meet their need (once per pillar; a referral may count under "
    "several). Counts from 1 to 10 are shown as 'fewer than 11'.",
    "A district's figures are the sum of its schools'; the county's, the sum of its districts'.",
)


def pack_title(pack: ProgressPack) -> str:
    code = f" ({pack.code})" if pack.code else ""
    return f"CCSPP progress pack · {pack.label}{code} · FY {fy_label(pack.fiscal_year)}"


def _yes_no(met: bool | None) -> str:
    return "not categorised" if met is None else ("yes" if met else "no: a gap")


def _summary(pack: ProgressPack, f: Figures) -> Table:
    rows = [
        ("Scope", SCOPES[pack.scope]),
        ("Schools in this pack", len(pack.schools)),
        ("CCSPP-funded schools", f.funded_schools),
        ("CCSPP grant awards ($)", f.grant_amount),
        ("Funding secured ($)", f.funding_secured),
        ("Partner organizations serving", len(pack.partners)),
        ("Partnerships naming the school(s)", f.partnerships),
        ("Needs recorded", f.needs),
        ("Needs with no partner serving them", f.needs_unmet),
        ("Assets recorded", f.assets),
    ]
    return Table("Summary", ("Figure", "Value"), tuple(rows))


def _grants(pack: ProgressPack) -> Table:
    rows = tuple(
        (s.name, pack.label_of("grant_type", g.grant_type), g.cohort, g.amount)
        for s in pack.schools
        for g in s.grants
    )
    return Table("CCSPP grants", ("School", "Grant type", "Cohort", "Award ($)"), rows)


def _needs(pack: ProgressPack) -> Table:
    rows = tuple(
        (
            s.name,
            n.category or n.description,
            n.description if n.category else "",
            pack.label_of("priority", n.priority),
            pack.label_of("source", n.source),
            _yes_no(n.met),
        )
        for s in pack.schools
        for n in s.needs
    )
    header = ("School", "Need", "Detail", "Priority", "Source", "Partner serving it")
    return Table("Needs", header, rows)


def _assets(pack: ProgressPack) -> Table:
    rows = tuple(
        (s.name, pack.label_of("asset_kind", a.kind), a.name)
        for s in pack.schools
        for a in s.assets
    )
    return Table("Assets", ("School", "Kind", "Asset"), rows)


def _services(pack: ProgressPack, f: Figures) -> Table:
    rows = [
        (pack.label_of("event_kind", kind), *values) for kind, values in sorted(f.events.items())
    ]
    rows.append(("Total", f.event_total(None, 0), f.event_total(None, 1), f.items_distributed))
    header = ("Kind", "Events", "Participants", "Items distributed")
    return Table("Direct services", header, tuple(rows))


def _referrals(pack: ProgressPack, f: Figures) -> list[Table]:
    by_need = tuple(
        (pack.label_of("need", k), suppress(v)) for k, v in sorted(f.referrals_by_need.items())
    )
    by_status = tuple(
        (pack.label_of("referral_status", k), suppress(v))
        for k, v in sorted(f.referrals_by_status.items())
    )
    outcomes = (
        ("Individuals referred", suppress(f.individuals)),
        ("Referrals made", suppress(f.referrals)),
        ("Completed", suppress(f.completed)),
        ("Closed without service", suppress(f.closed_without_service)),
        ("Still open", suppress(f.still_open)),
    )
    return [
        Table("Referrals: closed-loop outcomes", ("Figure", "Count"), outcomes),
        Table("Referrals by need", ("Need", "Referrals"), by_need),
        Table("Referrals by status", ("Status", "Referrals"), by_status),
    ]


def _pillars(pack: ProgressPack, f: Figures) -> Table:
    rows = tuple(
        (name, f.event_pillars.get(code, 0), f.partnership_pillars.get(code, 0))
        for code, name in pack.pillar_names.items()
    )
    return Table("CCSPP pillar coverage", ("Pillar", "Events", "Partnerships"), rows)


def _service_pillars(pack: ProgressPack, f: Figures) -> Table:
    rows = tuple(
        (
            name,
            suppress(f.service_pillars.get(code, 0)),
            ", ".join(pack.label_of("need", n) for n in pack.needs_of_pillar(code)) or "none",
        )
        for code, name in pack.pillar_names.items()
    )
    return Table("Services by pillar", ("Pillar", "Referrals", "Referral needs counted"), rows)


def _partners(pack: ProgressPack) -> Table:
    return Table("Partners serving", ("Partner organization",), tuple((p,) for p in pack.partners))


def _schools(pack: ProgressPack) -> Table:
    rows = []
    for s in pack.schools:
        f = school_figures(s)
        rows.append(
            (
                s.name,
                s.cds_code,
                "yes" if f.funded_schools else "no",
                f.event_total(None, 0),
                f.event_total(None, 1),
                suppress(f.referrals),
                suppress(f.individuals),
                f.funding_secured,
                f.needs_unmet,
            )
        )
    header = (
        "School",
        "CDS code",
        "CCSPP-funded",
        "Events",
        "Participants",
        "Referrals",
        "Individuals",
        "Funding ($)",
        "Unmet needs",
    )
    return Table("Schools", header, tuple(rows))


def pack_tables(pack: ProgressPack) -> list[Table]:
    f = pack.figures
    tables = [_summary(pack, f), _grants(pack)]
    if pack.scope != "county":
        tables += [_needs(pack), _assets(pack)]
    tables += [
        _services(pack, f),
        *_referrals(pack, f),
        _pillars(pack, f),
        _service_pillars(pack, f),
    ]
    if pack.scope != "county":
        tables.append(_partners(pack))
    if pack.scope != "school":
        tables.append(_schools(pack))
    tables.append(Table("Definitions", ("Definition",), tuple((d,) for d in DEFINITIONS)))
    return tables


def pack_text(pack: ProgressPack) -> str:
    lines = [pack_title(pack), ""]
    for table in pack_tables(pack):
        lines.extend(text_table(table))
        lines.append("")
    return "\n".join(lines)


def _rows(pack: ProgressPack) -> list[list[Any]]:
    rows: list[list[Any]] = [[pack_title(pack)], []]
    for table in pack_tables(pack):
        rows += [[table.title], list(table.header), *[list(r) for r in table.rows], []]
    return rows


def pack_csv(pack: ProgressPack) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _rows(pack):
        writer.writerow(neutralise_row(["" if v is None else v for v in row]))
    return buffer.getvalue()


def pack_xlsx(pack: ProgressPack) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table in pack_tables(pack):
        sheet = book.create_sheet(table.title.replace(":", "")[:31])
        sheet.append([neutralise(pack_title(pack))])
        sheet.append([neutralise(h) for h in table.header])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralise(v) for v in row])
        sheet.column_dimensions["A"].width = 44
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pack_pdf(pack: ProgressPack) -> bytes:
    return pdf_document(title=pack_title(pack), paragraphs=(), tables=pack_tables(pack))
