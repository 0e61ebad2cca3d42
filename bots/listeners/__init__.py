"""Bolt listeners, one module per feature; register() wires them all onto one app."""

from bots.listeners import (
    commands,
    events,
    partner_edit,
    partner_prompts,
    partners,
    touchpoints,
    typeahead,
)


def register(app) -> None:
    modules = (commands, typeahead, partners, partner_prompts, partner_edit, touchpoints, events)
    for module in modules:
        module.register(app)
