"""Bulk import and export: file reading, django-import-export resources, column specifications."""
