"""List filters the dashboard's reminder panels link to: a date range and "mine" (the record is
assigned to the person looking), shared by the touchpoint, partnership, agreement and referral
lists."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.widgets import BooleanRadioSelect


def date_range(label: str) -> django_filters.DateFromToRangeFilter:
    """Query parameters `<name>_from` and `<name>_to` (Wagtail's date range widget)."""
    return django_filters.DateFromToRangeFilter(label=label, widget=DateRangePickerWidget)


class MineFilter(django_filters.BooleanFilter):
    """True: only records whose `field_name` is the person looking; False: everyone else's."""

    def filter(self, qs: QuerySet, value):
        if value is None:
            return qs
        user = getattr(self.parent.request, "user", None)
        mine = {self.field_name: user}
        return qs.filter(**mine) if value else qs.exclude(**mine)


def mine_filter(field_name: str, label: str) -> MineFilter:
    return MineFilter(field_name=field_name, label=label, widget=BooleanRadioSelect)
