"""The staff search box, shown on the dashboard and on the search page itself."""

from django import template

register = template.Library()


@register.inclusion_tag("crm/admin/search/box.html", takes_context=True)
def staff_search_box(context, query: str = ""):
    return {"query": query, "shown": can_staff_search(context)}


@register.simple_tag(takes_context=True)
def can_staff_search(context) -> bool:
    from crm.admin.search import can_search

    request = context.get("request")
    return bool(request and can_search(request.user))
