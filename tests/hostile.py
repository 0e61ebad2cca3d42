"""The hostile-string corpus every create path and every face is tested with, and the checks
that what comes out is escaped for its medium (HTML, Slack mrkdwn, spreadsheet, PDF)."""

from __future__ import annotations

import re

# Names a person could type or import; each must be stored as text and shown as text.
NAMES = [
    "<script>alert('pb')</script> Org",
    '"><img src=x onerror=alert(1)> Org',
    "javascript:alert(document.domain) Org",
    "<!channel> <http://evil.example|click here>",
    "<@U0ADMIN> & <#C0GEN> Org",
    '=HYPERLINK("http://evil.example","x")',
    "-2-3-4-5",
    "@SUM(A1:A9) Org",
    "+1+1 Org",
    "Bell\x07 Escape\x1b[31m Org",
    "Good Org\u202egnp.exe",
    "Long " + "A" * 240,
    "{{ 7*7 }} {% csrf_token %} Org",
    "Ørganización «niños» & Familias",
]
# Stored links that must never be accepted or become an href.
URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "javascript://%0aalert(document.domain)//",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example",
    "\u202ehttps://evil.example",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_JS_HREF = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", re.I)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)")


def assert_html_safe(html: str, where: str = "") -> None:
    assert "<script>alert(" not in html, f"{where}: raw <script> from stored text"
    assert "<img src=x onerror" not in html, f"{where}: raw <img> from stored text"
    assert not _JS_HREF.search(html), f"{where}: a script address became a link"


def assert_mrkdwn_safe(text: str, where: str = "") -> None:
    for raw in ("<!channel>", "<@U0ADMIN>", "<#C0GEN>", "<http://evil.example", "<script"):
        assert raw not in text, f"{where}: unescaped {raw!r} in Slack mrkdwn"


def assert_cells_neutralised(rows: list[list], where: str = "") -> None:
    for row in rows:
        for cell in row:
            if not isinstance(cell, str) or not cell:
                continue
            live = cell.startswith(("\t", "\r")) or cell.lstrip().startswith(TRIGGERS)
            if live and not _PLAIN_NUMBER.fullmatch(cell.strip()):
                raise AssertionError(f"{where}: live formula cell {cell!r}")
