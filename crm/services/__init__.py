"""Every write to the CRM: atomic, validated, permission-checked and audited.

Faces (admin views, Slack listeners, importers, commands) call these and nothing else to write.
"""
