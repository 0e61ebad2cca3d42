"""A Wagtail permission policy that scopes events and referrals by school, so Wagtail's own
endpoints (editing sessions, choosers, bulk actions, ...) answer exactly as our views do.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from crm.models import Event, Referral
from crm.selectors.coordination import events_visible_to, referrals_visible_to


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
