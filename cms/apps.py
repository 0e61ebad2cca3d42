"""App config for the public Wagtail site."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Public site"

    def ready(self):
        from cms import chrome

        chrome.connect_signals()
