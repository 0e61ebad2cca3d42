"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
application = get_wsgi_application()


from cms.warmup import warm  # noqa: E402 - needs the app registry loaded above

warm()
