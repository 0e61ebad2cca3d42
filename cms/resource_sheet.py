"""A printable one-page resource sheet per school (PDF, English or Spanish): the published
partners serving the school, grouped by service, with their public contact details."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer

MARGIN = 0.6 * inch


def _text(value) -> str:
    """Stored text made safe for reportlab's paragraph markup (it parses <, > and &)."""
    return escape(" ".join(str(value or "").split()))


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontSize=18, spaceAfter=4),
        "meta": ParagraphStyle("meta", parent=base["Normal"], textColor=colors.HexColor("#4a5565")),
        "service": ParagraphStyle(
            "service",
            parent=base["Heading3"],
            textColor=colors.HexColor("#083f61"),
            spaceBefore=8,
            spaceAfter=2,
        ),
        "partner": ParagraphStyle("partner", parent=base["Normal"], leftIndent=8, spaceAfter=3),
        "small": ParagraphStyle("small", parent=base["Normal"], fontSize=8, leading=10),
    }


def resource_sheet_pdf(school, groups, *, page_url: str) -> bytes:
    """The sheet's bytes in the active language; everything fits one letter page (the content
    shrinks rather than spilling onto a second sheet)."""
    s = _styles()
    story = [
        Paragraph(_text(_("Help near %(school)s") % {"school": school.name}), s["title"]),
        Paragraph(
            _text(", ".join(p for p in (school.street, school.city, school.zip) if p)), s["meta"]
        ),
        Paragraph(
            _text(_("Community partners that serve this school, grouped by the help they offer.")),
            s["meta"],
        ),
        Spacer(1, 6),
    ]
    if not groups:
        story.append(Paragraph(_text(_("No published partner lists this school yet.")), s["meta"]))
    for service, partners in groups:
        story.append(Paragraph(_text(service), s["service"]))
        for partner in partners:
            details = [partner.public_phone, partner.public_email, partner.website]
            line = f"<b>{_text(partner.name)}</b>"
            shown = " · ".join(_text(d) for d in details if d)
            story.append(Paragraph(f"{line}<br/>{shown}" if shown else line, s["partner"]))
    footer = _("Printed %(date)s from %(url)s. Call before you go: hours and services change.") % {
        "date": date_format(timezone.localdate(), "DATE_FORMAT"),
        "url": page_url,
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Help near %(school)s") % {"school": school.name},
        lang=get_language(),
        # Uncompressed: a sheet is a few kilobytes, and its text stays searchable for checks.
        pageCompression=0,
    )
    story += [Spacer(1, 8), Paragraph(_text(footer), s["small"])]
    # The frame pads 6 points on each side; the whole story shrinks to fit what is left.
    doc.build([KeepInFrame(doc.width - 12, doc.height - 12, story, mode="shrink")])
    return buffer.getvalue()


def resource_sheet_response(school, groups, *, language: str, page_url: str) -> HttpResponse:
    """The sheet as an inline PDF download named after the school and language."""
    response = HttpResponse(
        resource_sheet_pdf(school, groups, page_url=page_url), content_type="application/pdf"
    )
    filename = f"{school.slug}-{language}-resources.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    return response
