"""Access rules every API view applies before the crm services apply their own."""

from __future__ import annotations

from rest_framework import exceptions, permissions

from api.tokens import scope_of


def token_of(request):
    return getattr(request._request, "api_token", None)


class ApiAccess(permissions.BasePermission):
    """Signed in; a read-only token only reads; the view's `required_perms` per action."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            raise exceptions.NotAuthenticated("Send a token: Authorization: Bearer TOKEN")
        if not user.is_active:
            return False
        token = token_of(request)
        if (
            token is not None
            and scope_of(token).read_only
            and request.method not in permissions.SAFE_METHODS
        ):
            raise exceptions.PermissionDenied("This token is read-only.")
        needed = view.required_perms(request) if hasattr(view, "required_perms") else ()
        if not all(user.has_perm(p) for p in needed):
            raise exceptions.PermissionDenied("Your role does not allow this.")
        return True
