"""`{{ value|safe_href }}`: a stored link as an href, or nothing when it is not http(s)."""

from django import template

from crm.weblinks import safe_href as _safe_href

register = template.Library()


@register.filter
def safe_href(value) -> str:
    return _safe_href(value)
