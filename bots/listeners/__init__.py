"""Bolt listeners, one module per feature; register() wires them all onto one app."""

from bots.listeners import commands, events, partner_prompts, partners, touchpoints, typeahead


def register(app) -> None:
    for module in (commands, typeahead, partners, partner_prompts, touchpoints, events):
        module.register(app)
