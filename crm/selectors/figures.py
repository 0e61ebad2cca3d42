"""One definition per public figure: the home page, the directories, the school pages and the
annual report all count through these querysets, so a number means the same thing everywhere."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from crm.models import CommunitySchoolGrant, Event, GrantStatus, Partner, Referral, School


def published_partners() -> QuerySet[Partner]:
    """Partner organizations on the public site: published and not merged into another."""
    return Partner.objects.live().filter(published=True)


def published_through(relation: str = "partner") -> Q:
    """The same definition seen from a row that points at a partner through `relation` (a
    many-to-many link, a contact): the partner is published and not merged into another."""
    return Q(**{f"{relation}__published": True, f"{relation}__merged_into__isnull": True})


def grant_funds_in(fiscal_year: int) -> Q:
    """A CCSPP grant funds its school in a fiscal year when the year is within its span and the
    grant was not withdrawn (the annual report's definition)."""
    return Q(start_fy__lte=fiscal_year, end_fy__gte=fiscal_year) & ~Q(status=GrantStatus.WITHDRAWN)


def funding_grants(fiscal_year: int) -> QuerySet[CommunitySchoolGrant]:
    return CommunitySchoolGrant.objects.filter(grant_funds_in(fiscal_year))


def funded_schools(fiscal_year: int) -> QuerySet[School]:
    """CCSPP-funded community schools in this fiscal year."""
    return School.objects.filter(Exists(funding_grants(fiscal_year).filter(school=OuterRef("pk"))))


def recorded_events() -> QuerySet[Event]:
    """Events of every kind recorded at schools since records began (home and school pages)."""
    return Event.objects.all()


def recorded_referrals() -> QuerySet[Referral]:
    """Service referrals recorded since records began."""
    return Referral.objects.all()
