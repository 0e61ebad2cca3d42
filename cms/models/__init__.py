"""The public site's pages: home with live impact figures, the partner and community-school
directories (routable pages over CRM records), editorial pages, and the editable site chrome."""

from cms.models.base import PublicPage, ReadOnlyServeMixin, SiteChrome
from cms.models.blocks import CallToActionBlock, EditorialBlock, LinkBlock
from cms.models.editorial import HomePage, StandardPage
from cms.models.partners import PartnerDirectoryPage
from cms.models.schools import SchoolDirectoryPage

__all__ = [
    "CallToActionBlock",
    "EditorialBlock",
    "HomePage",
    "LinkBlock",
    "PartnerDirectoryPage",
    "PublicPage",
    "ReadOnlyServeMixin",
    "SchoolDirectoryPage",
    "SiteChrome",
    "StandardPage",
]
