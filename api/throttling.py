"""Rate limits per token (or per signed-in user), counted in the shared cache."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from api.permissions import token_of


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    @property
    def cache(self):
        return caches[settings.API_THROTTLE_CACHE]

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return f"api:throttle:{ident}"
