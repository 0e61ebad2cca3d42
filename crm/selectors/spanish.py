"""Which published records still lack their Spanish public text, for the staff worklist."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from crm.models import Partner
from crm.selectors.figures import published_partners


def missing_spanish() -> Q:
    """A written English description with no Spanish one: /es/ shows the English with a notice."""
    return ~Q(description="") & Q(description_es="")


def published_partners_missing_spanish() -> QuerySet[Partner]:
    return published_partners().filter(missing_spanish())
