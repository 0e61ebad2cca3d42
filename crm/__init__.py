"""The CRM domain: models, services (writes), selectors (reads), dedup, reports."""
