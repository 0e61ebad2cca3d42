"""Saved views: which lists take them, the parameters each list understands, a person's own."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from crm.models import SavedView

# Wagtail's listing parameters every list shares: the search box and the column ordering.
COMMON_PARAMS = frozenset({"q", "ordering"})
# A date range filter `x` is sent as `x_from` and `x_to` (Wagtail's date range widget).
RANGE_SUFFIXES = ("_from", "_to")


@dataclass(frozen=True)
class SavedList:
    model: str  # the model whose view permission the list needs
    index_url: str  # the list's URL name
    filters: frozenset[str]

    @property
    def params(self) -> frozenset[str]:
        ranges = {f"{name}{suffix}" for name in self.filters for suffix in RANGE_SUFFIXES}
        return self.filters | ranges | COMMON_PARAMS


# The filters of each list's filter set (a test keeps them equal to the admin's filter sets).
LISTS: dict[str, SavedList] = {
    "partners": SavedList(
        "partner",
        "crm_partner:index",
        frozenset(
            {
                "kind",
                "status",
                "published",
                "service_categories",
                "equity_focus_groups",
                "districts_served",
                "missing_spanish",
            }
        ),
    ),
    "partnerships": SavedList(
        "partnership",
        "crm_partnership:index",
        frozenset(
            {"strategic", "status", "agreement_type", "scope", "fiscal_year", "end_date", "mine"}
        ),
    ),
    "touchpoints": SavedList(
        "touchpoint",
        "crm_touchpoint:index",
        frozenset(
            {"channel", "follow_up_done", "fiscal_year", "follow_up_due", "follow_up_on", "mine"}
        ),
    ),
    "events": SavedList("event", "event:index", frozenset({"school", "kind", "fiscal_year"})),
    "referrals": SavedList(
        "referral",
        "referral:index",
        frozenset({"school", "status", "need_category", "fiscal_year", "follow_up_on", "open"}),
    ),
}


def saved_views_of(user, list_key: str) -> QuerySet[SavedView]:
    """The user's own saved views of one list, by name; nobody else's."""
    if not getattr(user, "is_authenticated", False) or list_key not in LISTS:
        return SavedView.objects.none()
    return SavedView.objects.filter(user=user, list_key=list_key).order_by("name", "id")
