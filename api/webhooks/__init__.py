"""Webhooks: events read off the audit trail, signed payloads, delivery with retries."""
