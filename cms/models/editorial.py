"""Editorial pages: the home page with the initiative's live figures, and plain content pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from cms.caching import cached
from cms.language import spanish
from cms.models.base import PublicPage, ReadOnlyServeMixin
from cms.models.blocks import EditorialBlock
from crm.fiscal import fy_label
from crm.selectors.public import public_impact


class HomePage(ReadOnlyServeMixin, PublicPage):
    body = StreamField(EditorialBlock(), blank=True, verbose_name=_("body"))
    body_es = StreamField(EditorialBlock(), blank=True, verbose_name=_("body (Spanish)"))

    content_panels = [*PublicPage.content_panels, FieldPanel("body"), FieldPanel("body_es")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["impact"] = impact = cached("impact", "", public_impact)
        context["fy_label"] = fy_label(impact["fiscal_year"])
        context["body_blocks"] = self.body_es if spanish() and self.body_es else self.body
        return context


class StandardPage(ReadOnlyServeMixin, PublicPage):
    body = StreamField(EditorialBlock(), blank=True, verbose_name=_("body"))
    body_es = StreamField(EditorialBlock(), blank=True, verbose_name=_("body (Spanish)"))

    content_panels = [*PublicPage.content_panels, FieldPanel("body"), FieldPanel("body_es")]

    class Meta:
        verbose_name = _("editorial page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["body_blocks"] = self.body_es if spanish() and self.body_es else self.body
        return context
