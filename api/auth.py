"""Who is asking: a bearer token (acting as its user) or a signed-in staff session."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from api.tokens import token_lookup, token_touch


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer pb_…`; the token's user brings its role and schools."""

    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Authorization: Bearer TOKEN")
        token = token_lookup(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("This token is unknown, revoked or expired.")
        token_touch(token)
        request._request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """A signed-in staff member using the docs; writes still need the CSRF token."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            request._request.api_token = None
        return result
