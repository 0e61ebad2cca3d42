"""The deterministic demo: name parts (names.py), a pure plan generator (plan.py).

The plan is written by crm.services.demo, like every other write.
"""
