"""Wagtail loads this module; it imports every admin module so each registers its own hooks."""

import importlib
import pkgutil

import crm.admin

for _module in sorted(m.name for m in pkgutil.iter_modules(crm.admin.__path__)):
    importlib.import_module(f"crm.admin.{_module}")
