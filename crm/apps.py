"""App config for the CRM domain."""

from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Partnerships CRM"
