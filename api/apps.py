"""App config for the REST API; connects the webhook emitter to the audit trail."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from api.webhooks.emit import connect

        connect()
