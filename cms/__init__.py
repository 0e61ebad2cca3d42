"""The Wagtail site package: settings, URLs, WSGI/ASGI and the public pages."""
