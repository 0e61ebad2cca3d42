"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
application = get_asgi_application()


from cms.warmup import warm  # noqa: E402 - needs the app registry loaded above

warm()
