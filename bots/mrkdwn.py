"""Slack mrkdwn escaping: the one helper every Block Kit builder runs user text through."""

from __future__ import annotations

from crm.weblinks import safe_href


def escape(value) -> str:
    """Text shown as itself in mrkdwn: `&`, `<`, `>` become entities, so no stored string can
    open a link, a mention (`<!channel>`, `<@U…>`) or close one of ours."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label) -> str:
    """`<url|label>` with the label escaped; a URL that is not http(s) gives the bare label."""
    href = safe_href(url)
    if not href:
        return escape(label)
    # A "|" would end the address early: percent-encoded, it is the same address.
    return f"<{escape(href).replace('|', '%7C')}|{escape(label)}>"
