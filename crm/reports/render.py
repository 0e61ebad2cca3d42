"""Faces of an AnnualReport: headline, text, CSV, XLSX, PDF and the five-year chart.

Every format renders the same `report_tables`, so their numbers agree by construction.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from crm.exports import neutralise, neutralise_row
from crm.fiscal import fy_label
from crm.reports.annual import AnnualReport, Line

Cell = int | float | Decimal | str | None


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _status(met: bool | None) -> str:
    if met is None:
        return "undefined (no previous year)"
    return "met" if met else "not met"


def _pct(value: float | None) -> Cell:
    return "undefined" if value is None else value


def cell_text(value: Cell) -> str:
    """How a cell reads in text, HTML and PDF."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def report_headline(report: AnnualReport) -> str:
    previous = f"FY {fy_label(report.fiscal_year - 1)}"
    target = f"{report.growth_target_pct:g}%"
    if report.growth_pct is None:
        growth = (
            f"growth undefined because {previous} had none, so the {target} target "
            "cannot be assessed"
        )
    else:
        growth = (
            f"growth {report.growth_pct:+.1f}% against the {target} target "
            f"({_status(report.target_met)})"
        )
    remaining = max(report.schools_target - report.additional_schools, 0)
    schools = (
        f"{report.additional_schools} additional CCSPP-funded community schools since "
        f"{report.baseline_label} against the target of {report.schools_target} "
        + ("(met)" if report.schools_target_met else f"({remaining} to go)")
    )
    return (
        f"{report.label}: {report.strategic_partners} strategic partner organizations at year "
        f"end, against {report.strategic_partners_previous} in {previous}: {growth}. "
        f"Community schools: {schools}."
    )


def _lines_table(title: str, column: str, value: str, lines: tuple[Line, ...]) -> Table:
    return Table(title, (column, value), tuple((line.label, line.value) for line in lines))


def report_tables(report: AnnualReport) -> list[Table]:
    """The report as titled tables: the single source of every rendering."""
    this, last = report.label, f"FY {fy_label(report.fiscal_year - 1)}"
    target = f"{report.growth_target_pct:g}% growth a year"
    schools_growth = None
    if report.community_schools_previous:
        schools_growth = round(
            (report.community_schools - report.community_schools_previous)
            * 100.0
            / report.community_schools_previous,
            1,
        )
    remaining = max(report.schools_target - report.additional_schools, 0)
    tables = [
        Table(
            f"Headline, {this}",
            ("Measure", last, this, "Change (%)", "Target", "Status"),
            (
                (
                    "Strategic partner organizations at year end",
                    report.strategic_partners_previous,
                    report.strategic_partners,
                    _pct(report.growth_pct),
                    target,
                    _status(report.target_met),
                ),
                (
                    "Strategic partnership agreements at year end",
                    report.agreements_previous,
                    report.agreements,
                    _pct(report.agreements_growth_pct),
                    target,
                    _status(report.agreements_target_met),
                ),
                (
                    "CCSPP-funded community schools",
                    report.community_schools_previous,
                    report.community_schools,
                    _pct(schools_growth),
                    "",
                    "",
                ),
                (
                    f"Additional community schools since {report.baseline_label}",
                    "",
                    report.additional_schools,
                    "",
                    f"{report.schools_target} schools",
                    "met" if report.schools_target_met else f"not met ({remaining} to go)",
                ),
            ),
        ),
        Table(
            f"Partnerships in {this}",
            (
                "Partnerships",
                "Active during the year",
                "New",
                "Continuing",
                "Ended",
                "Active at year end",
                "Organizations at year end",
            ),
            tuple(
                (
                    f.label,
                    f.active,
                    f.new,
                    f.continuing,
                    f.ended,
                    f.at_year_end,
                    f.partners_at_year_end,
                )
                for f in report.flows
            ),
        ),
        _lines_table(
            "Strategic agreements at year end by type",
            "Agreement type",
            "Agreements",
            report.agreements_by_type,
        ),
        _lines_table(
            f"Community schools by grant type, {this}",
            "Grant type",
            "Schools",
            report.schools_by_grant_type,
        ),
        _lines_table(
            f"Community schools by cohort, {this}", "Cohort", "Schools", report.schools_by_cohort
        ),
        Table(
            "Initiative impact",
            ("Measure", last, this),
            tuple((line.label, line.previous, line.value) for line in report.impact),
        ),
        _lines_table(
            f"Referrals by status, {this}", "Status", "Referrals", report.referrals_by_status
        ),
        _lines_table(f"Referrals by need, {this}", "Need", "Referrals", report.referrals_by_need),
        Table(
            f"Events by kind, {this}",
            ("Kind", "Events", "Participants", "Items distributed"),
            tuple((e.label, e.events, e.participants, e.items) for e in report.events_by_kind),
        ),
        _lines_table(
            "Strategic partners at year end by partner kind",
            "Partner kind",
            "Partners",
            report.by_partner_kind,
        ),
        _lines_table(
            "Strategic partners at year end by service category",
            "Service category",
            "Partners",
            report.by_service_category,
        ),
        _lines_table(
            "Strategic partners at year end by equity focus group",
            "Equity focus group",
            "Partners",
            report.by_equity_focus_group,
        ),
        _lines_table(
            "Strategic partners at year end by district served",
            "District",
            "Partners",
            report.by_district,
        ),
        Table(
            "Five-year trend",
            (
                "Fiscal year",
                "Strategic partners at year end",
                f"{report.growth_target_pct:g}% target path",
                "Change (%)",
                "CCSPP-funded community schools",
            ),
            tuple(
                (
                    t.label,
                    t.strategic_partners,
                    "" if t.target_path is None else t.target_path,
                    _pct(t.growth_pct),
                    t.community_schools,
                )
                for t in report.trend
            ),
        ),
        Table(
            "Data quality",
            ("Check", "Result"),
            (
                ("Unresolved likely-duplicate partner pairs", report.unresolved_likely_duplicates),
                ("Pairs with both partners counted", report.likely_duplicates_counted),
            ),
        ),
        Table("Definitions", ("Definition",), tuple((d,) for d in report.definitions)),
    ]
    return tables


def report_title(report: AnnualReport) -> str:
    return (
        f"Annual partnership report, {report.label} ({report.period_start} to {report.period_end})"
    )


# ---- text ----------------------------------------------------------------------------------


def text_table(table: Table) -> list[str]:
    out = [table.title, "-" * len(table.title)]
    if table.header == ("Definition",):
        return out + [f"- {row[0]}" for row in table.rows]
    cells = [list(table.header)] + [[cell_text(c) for c in row] for row in table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.header))]
    numeric = [
        all(not isinstance(row[i], str) or row[i] in ("", "undefined") for row in table.rows)
        for i in range(len(table.header))
    ]
    for row in cells:
        parts = [
            row[i].rjust(widths[i]) if numeric[i] and i else row[i].ljust(widths[i])
            for i in range(len(row))
        ]
        out.append("  ".join(parts).rstrip())
    if not table.rows:
        out.append("(none)")
    return out


def report_text(report: AnnualReport) -> str:
    lines = [report_title(report), "", report_headline(report), "", report.data_quality, ""]
    for table in report_tables(report):
        lines.extend(text_table(table))
        lines.append("")
    return "\n".join(lines)


# ---- spreadsheets --------------------------------------------------------------------------


def _sheet_rows(report: AnnualReport) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [report_title(report)],
        [report_headline(report)],
        [report.data_quality],
        [],
    ]
    for table in report_tables(report):
        rows.append([table.title])
        rows.append(list(table.header))
        rows.extend(list(row) for row in table.rows)
        rows.append([])
    return rows


def report_csv(report: AnnualReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _sheet_rows(report):
        writer.writerow(neutralise_row(["" if v is None else v for v in row]))
    return buffer.getvalue()


def report_xlsx(report: AnnualReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"Report {fy_label(report.fiscal_year)}"
    titles = {t.title for t in report_tables(report)} | {report_title(report)}
    for row in _sheet_rows(report):
        sheet.append([neutralise(v) for v in row])
        if row and row[0] in titles:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    for column in "BCDEFG":
        sheet.column_dimensions[column].width = 18
    chart = book.create_sheet("Trend")
    chart.append(["Fiscal year", "Strategic partners at year end", "Target path"])
    for t in report.trend:
        chart.append([t.label, t.strategic_partners, t.target_path])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- chart ---------------------------------------------------------------------------------


def _chart_figure(report: AnnualReport):
    from matplotlib.figure import Figure

    labels = [t.label.removeprefix("FY ") for t in report.trend]
    values = [t.strategic_partners for t in report.trend]
    path = [t.target_path for t in report.trend]
    figure = Figure(figsize=(7, 3.6), dpi=100)
    axes = figure.add_subplot()
    bars = axes.bar(labels, values, color="#2e6f9e", label="Strategic partners at year end")
    axes.bar_label(bars, padding=2, fontsize=9)
    shown = [(x, y) for x, y in zip(labels, path, strict=True) if y is not None]
    if shown:
        axes.plot(
            [x for x, _ in shown],
            [y for _, y in shown],
            color="#c2410c",
            marker="o",
            linestyle="--",
            label=f"{report.growth_target_pct:g}% a year target path",
        )
    axes.set_title(f"Active strategic partners, five fiscal years to {report.label}")
    axes.set_ylabel("Partner organizations")
    axes.set_ylim(bottom=0, top=max([*values, *(y for _, y in shown), 1]) * 1.2)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", frameon=False, fontsize=9)
    figure.tight_layout()
    return figure


def chart_description(report: AnnualReport) -> str:
    parts = []
    for t in report.trend:
        target = "" if t.target_path is None else f" (target path {t.target_path:.1f})"
        parts.append(f"{t.label}: {t.strategic_partners}{target}")
    return (
        "Bar chart of distinct partner organizations with an active strategic partnership on "
        f"June 30 of each fiscal year, with the {report.growth_target_pct:g}% a year target "
        "path as a dashed line. " + "; ".join(parts) + "."
    )


def report_chart_svg(report: AnnualReport) -> str:
    """An inline-ready SVG with a title and description for screen readers."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "partnerbase"}):
        _chart_figure(report).savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    title = f"Active strategic partners, five fiscal years to {report.label}"
    opening = re.match(r"<svg[^>]*>", svg).group(0)
    accessible = opening.replace(
        "<svg",
        '<svg role="img" aria-labelledby="report-chart-title report-chart-desc"',
        1,
    )
    return svg.replace(
        opening,
        f'{accessible}<title id="report-chart-title">{escape(title)}</title>'
        f'<desc id="report-chart-desc">{escape(chart_description(report))}</desc>',
        1,
    )


def report_chart_png(report: AnnualReport) -> bytes:
    buffer = io.BytesIO()
    _chart_figure(report).savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


# ---- PDF -----------------------------------------------------------------------------------


def report_pdf(report: AnnualReport) -> bytes:
    from reportlab.lib.units import inch
    from reportlab.platypus import Image

    chart = Image(io.BytesIO(report_chart_png(report)), width=6.5 * inch, height=3.34 * inch)
    return pdf_document(
        title=report_title(report),
        paragraphs=(report_headline(report), report.data_quality),
        tables=report_tables(report),
        figures=(chart,),
    )


def pdf_document(
    *, title: str, paragraphs: tuple[str, ...], tables: list[Table], figures: tuple = ()
) -> bytes:
    """A letter-size PDF: title, paragraphs, figures, then each table (all text escaped)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import (
        ListFlowable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import (
        Table as PdfTable,
    )

    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=letter,
        title=title,
        author="Partnerbase",
        leftMargin=0.6 * inch,
        rightMargin=0.6 * inch,
        topMargin=0.6 * inch,
        bottomMargin=0.6 * inch,
    )
    story = [Paragraph(escape(title), styles["Title"])]
    story += [Paragraph(escape(text), styles["BodyText"]) for text in paragraphs]
    if figures:
        story += [Spacer(1, 8), *figures]
    for table in tables:
        story.append(Paragraph(escape(table.title), styles["Heading3"]))
        if table.header == ("Definition",):
            story.append(
                ListFlowable(
                    [Paragraph(escape(row[0]), small) for row in table.rows], bulletType="bullet"
                )
            )
            continue
        if not table.rows:
            story.append(Paragraph("(none)", small))
            continue
        data = [[Paragraph(f"<b>{escape(h)}</b>", small) for h in table.header]]
        for row in table.rows:
            data.append(
                [Paragraph(escape(c), small) if isinstance(c, str) else cell_text(c) for c in row]
            )
        first = 2.4 * inch if len(table.header) > 2 else 4.5 * inch
        if len(table.header) == 1:
            widths = [doc.width]
        else:
            rest = (doc.width - first) / (len(table.header) - 1)
            widths = [first] + [rest] * (len(table.header) - 1)
        pdf_table = PdfTable(data, colWidths=widths, repeatRows=1)
        pdf_table.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.whitesmoke]),
                ]
            )
        )
        story.append(pdf_table)
    doc.build(story)
    return buffer.getvalue()
