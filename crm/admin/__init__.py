"""Wagtail admin faces of the CRM, one module per area; `crm/wagtail_hooks.py` loads them all."""
