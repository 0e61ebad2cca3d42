"""Wagtail admin page showing the duplicate matcher's current model: levels, m, u, weights."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from crm.dedup.judge import signed
from crm.dedup.levels import COMPARISONS
from crm.selectors.matcher import current_matcher_model, matcher_model_row

VIEW_PERM = "crm.change_duplicatecandidate"


class MatcherModelView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "crm/admin/dedup/matcher_model.html"
    page_title = "Duplicate matcher model"
    header_icon = "resubmit"
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERM):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        model = current_matcher_model()
        comparisons = [
            {
                "title": comparison.title,
                "levels": [
                    {
                        "label": label,
                        "m": model.m[i][j],
                        "u": model.u[i][j],
                        "weight": signed(model.weight(i, j)),
                    }
                    for j, label in enumerate(comparison.levels)
                ],
            }
            for i, comparison in enumerate(COMPARISONS)
        ]
        return super().get_context_data(
            model=model,
            row=matcher_model_row(),
            comparisons=comparisons,
            prior=signed(model.prior_weight),
            joint=signed(model.joint_correction()),
            **kwargs,
        )


@hooks.register("register_admin_urls")
def register_matcher_urls():
    return [path("duplicates/model/", MatcherModelView.as_view(), name="crm_matcher_model")]
