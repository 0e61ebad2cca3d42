"""Reads for the public site: published partners only, public fields only, and aggregate
figures with small counts (1..10) suppressed. Nothing private leaves this package. One module
per page family: directory, partner profile, community schools, home figures, search."""

from crm.selectors.public.counts import SUPPRESS_BELOW, PublicCount, public_count
from crm.selectors.public.directory import (
    PARTNER_LIST_FIELDS,
    DirectoryFilters,
    DirectoryPage,
    public_directory,
    public_directory_options,
    public_directory_schools,
    public_partner_sitemap,
)
from crm.selectors.public.impact import public_impact
from crm.selectors.public.partner import (
    PARTNER_PROFILE_FIELDS,
    PartnerLookup,
    public_partner_lookup,
)
from crm.selectors.public.schools import (
    SchoolFilters,
    community_schools,
    public_school_directory,
    public_school_profile,
    public_school_sitemap,
)
from crm.selectors.public.search import (
    SEARCH_LIMIT,
    public_partner_index_clear,
    public_search,
    published_stamp,
)

__all__ = [
    "PARTNER_LIST_FIELDS",
    "PARTNER_PROFILE_FIELDS",
    "SEARCH_LIMIT",
    "SUPPRESS_BELOW",
    "DirectoryFilters",
    "DirectoryPage",
    "PartnerLookup",
    "PublicCount",
    "SchoolFilters",
    "community_schools",
    "public_count",
    "public_directory",
    "public_directory_options",
    "public_directory_schools",
    "public_impact",
    "public_partner_index_clear",
    "public_partner_lookup",
    "public_partner_sitemap",
    "public_school_directory",
    "public_school_profile",
    "public_school_sitemap",
    "public_search",
    "published_stamp",
]
