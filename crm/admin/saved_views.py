"""Saved views on admin lists: the links above a list, and the save, rename and delete posts
(crm.services.saved_views writes; each person sees and changes only their own)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from wagtail import hooks
from wagtail.admin import messages

from crm.admin.base import SOURCE
from crm.admin.list_actions import BulkSelectIndexMixin
from crm.models import SavedView
from crm.selectors.saved_views import LISTS, saved_views_of
from crm.services.saved_views import saved_view_delete, saved_view_rename, saved_view_save

LIST_TEMPLATE = "crm/admin/lists/index.html"


def saved_view_url(view: SavedView) -> str:
    url = reverse(LISTS[view.list_key].index_url)
    return f"{url}?{view.query}" if view.query else url


class SavedViewsIndexMixin:
    """For a list's index view: the person's saved views as links, and a form to save the
    current filters, search and ordering under a name."""

    saved_list_key: str = ""
    template_name = LIST_TEMPLATE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        views = saved_views_of(self.request.user, self.saved_list_key)
        current = self.request.GET.copy()
        current.pop("p", None)
        context.update(
            saved_list_key=self.saved_list_key,
            saved_views=[{"view": v, "url": saved_view_url(v)} for v in views],
            saved_view_query=current.urlencode(),
            saved_view_save_url=reverse("crm_saved_view_save"),
        )
        return context


class ListIndexMixin(SavedViewsIndexMixin, BulkSelectIndexMixin):
    """Saved views and bulk selection together: what the CRM's main lists offer."""


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = fallback
    return HttpResponseRedirect(target or fallback)


def _refused(request, exc) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


class SavedViewSaveView(View):
    http_method_names = ["post"]

    def post(self, request):
        list_key = request.POST.get("list_key", "")
        if list_key not in LISTS:
            raise PermissionDenied
        try:
            view = saved_view_save(
                list_key=list_key,
                name=request.POST.get("name", ""),
                query=request.POST.get("query", ""),
                actor=request.user,
                source=SOURCE,
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
            return _back(request, reverse(LISTS[list_key].index_url))
        messages.success(request, f"Saved the view “{view.name}”.")
        return HttpResponseRedirect(saved_view_url(view))


class SavedViewRenameView(View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        view = get_object_or_404(SavedView, pk=pk, user=request.user)
        try:
            view = saved_view_rename(
                saved_view=view,
                name=request.POST.get("name", ""),
                actor=request.user,
                source=SOURCE,
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"Renamed the view to “{view.name}”.")
        return _back(request, reverse(LISTS[view.list_key].index_url))


class SavedViewDeleteView(View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        view = get_object_or_404(SavedView, pk=pk, user=request.user)
        saved_view_delete(saved_view=view, actor=request.user, source=SOURCE)
        messages.success(request, f"Deleted the view “{view.name}”.")
        return _back(request, reverse(LISTS[view.list_key].index_url))


@hooks.register("register_admin_urls")
def register_saved_view_urls():
    return [
        path("views/save/", SavedViewSaveView.as_view(), name="crm_saved_view_save"),
        path("views/<int:pk>/rename/", SavedViewRenameView.as_view(), name="crm_saved_view_rename"),
        path("views/<int:pk>/delete/", SavedViewDeleteView.as_view(), name="crm_saved_view_delete"),
    ]
