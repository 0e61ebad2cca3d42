"""Admin screens scoped to a user's schools: the base viewset and views that read only the rows
`scope(user)` returns (events, referrals, needs, assets, agreements), and a Wagtail permission
policy for events and referrals, so Wagtail's own endpoints (editing sessions, choosers, bulk
actions, ...) answer exactly as our views do. The rule itself: crm.selectors.coordination.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from crm.admin.base import NeutralisedIndexView, NoDeleteKwargsMixin, SaveThroughServiceMixin
from crm.models import Event, Referral
from crm.selectors.coordination import events_visible_to, referrals_visible_to, schools_of


class SchoolScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions as usual, and an instance only if it is in `visible(user)`.

    Wagtail asks the registered policy before it touches an instance by id (editing-session
    pings, generic views, choosers, bulk actions); without this, any role holding
    `change_referral` passed for a referral of any school.
    """

    def __init__(self, model: type[Model], *, visible: Callable[[object], QuerySet]):
        super().__init__(model)
        self.visible = visible

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        if not self.user_has_any_permission(user, actions):
            return False
        return self.visible(user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.visible(user)


# Registered on import, before any viewset asks the registry (which would create a fallback).
event_permission_policy = SchoolScopedPermissionPolicy(Event, visible=events_visible_to)
referral_permission_policy = SchoolScopedPermissionPolicy(Referral, visible=referrals_visible_to)
register_permission_policy(Event, event_permission_policy, exact_class=True)
register_permission_policy(Referral, referral_permission_policy, exact_class=True)


# --- Views that read only what `scope(user)` returns --------------------------------------------


class ScopedIndexView(NeutralisedIndexView):
    scope: Callable[[object], QuerySet] | None = None

    def get_base_queryset(self):
        return self.scope(self.request.user)


class ScopedEditView(SaveThroughServiceMixin, generic.EditView):
    scope: Callable[[object], QuerySet] | None = None

    def get_queryset(self):
        return self.scope(self.request.user)

    def stored(self):
        """The row as stored: the form has already written its values onto self.object, and the
        service compares against what is in the database."""
        return self.get_queryset().get(pk=self.object.pk)


class ScopedInspectView(generic.InspectView):
    scope: Callable[[object], QuerySet] | None = None

    def get_object(self, queryset=None):
        return get_object_or_404(self.scope(self.request.user), pk=self.pk)


class ScopedViewSet(NoDeleteKwargsMixin, ModelViewSet):
    """A viewset whose listing, edit and inspect pages hold only the rows `scope(user)` returns
    (another school's record is a 404); adds go through a service; nothing is deleted."""

    scope: Callable[[object], QuerySet]
    # The import kind whose columns the list downloads in (see NeutralisedIndexView).
    import_kind: str | None = None
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    inspect_view_class = ScopedInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_backend_name = None

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            scope=self.scope, import_kind=self.import_kind, **kwargs
        )

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(scope=self.scope, **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(scope=self.scope, **kwargs)


def school_choices(request):
    """The schools a filter offers: the user's own."""
    return schools_of(request.user)


class PrefilledCreateMixin:
    """A new record starts at the user's school (when there is only one) and today."""

    today_field = "date"

    def get_initial(self):
        initial = super().get_initial()
        schools = list(schools_of(self.request.user)[:2])
        if len(schools) == 1:
            initial["school"] = schools[0].pk
        initial.setdefault(self.today_field, timezone.localdate())
        return initial
