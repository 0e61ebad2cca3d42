"""Serializers: `read` shapes what the API returns, `write` validates what it accepts."""
