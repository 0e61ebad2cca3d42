"""Bolt listeners, one module per feature; register() wires them all onto one app."""

from bots.listeners import commands, events, partners, touchpoints


def register(app) -> None:
    for module in (commands, partners, touchpoints, events):
        module.register(app)
