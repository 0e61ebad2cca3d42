"""The REST API under /api/v1/: token-scoped reads, writes through the crm services, webhooks."""
