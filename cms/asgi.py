"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
application = get_asgi_application()


def _warm() -> None:
    from django.conf import settings
    from django.db import connections

    from crm.selectors.partners import partner_index_warm

    if settings.MATCH_INDEX_WARM:
        partner_index_warm()
        # A server that forks its workers after loading this module must not hand them this
        # process's database connection.
        connections.close_all()


_warm()
