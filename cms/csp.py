"""Content-Security-Policy (django-csp): strict on the public site, with the one allowance the
Wagtail admin needs there (its widgets write inline scripts), set per area by URL prefix.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings


class AreaCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; under the admin, scripts may also be inline (no nonce there:
    a nonce would make browsers ignore 'unsafe-inline', and Wagtail's own scripts carry none).
    """

    def process_response(self, request, response):
        admin = "/" + settings.CSP_ADMIN_PREFIX.strip("/") + "/"
        if request.path.startswith(admin) and getattr(response, "_csp_replace", None) is None:
            response._csp_replace = {"script-src": [SELF, UNSAFE_INLINE]}
        return super().process_response(request, response)
