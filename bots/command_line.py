"""What a `/partners` command line asks for: the subcommand, its argument, or what is wrong.

Read by the command listener, the report listener and the offline answer alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from bots import views
from crm.fiscal import fiscal_year_of, fy_label, parse_fy

COMMAND = "/partners"
SUBCOMMANDS = ("add", "edit", "find", "log", "event", "report", "referrals", "help")
# Permission each subcommand needs, checked before a modal opens (services check again on save).
NEEDS = {
    "add": "crm.add_partnership",
    "edit": "crm.change_partner",
    "log": "crm.add_touchpoint",
    "event": "crm.add_event",
    "report": "crm.view_report",
    "find": "crm.view_partner",
    "referrals": "crm.view_referral",
}


@dataclass(frozen=True)
class Plan:
    sub: str
    arg: str = ""
    fiscal_year: int | None = None
    error: str = ""


def plan_for(text: str) -> Plan:
    """What a command line asks for, or what is wrong with it."""
    words = (text or "").split(maxsplit=1)
    sub = words[0].lower() if words else "help"
    arg = words[1].strip() if len(words) > 1 else ""
    if sub not in SUBCOMMANDS:
        return Plan(sub, arg, error=views.unknown_command(sub))
    if sub == "find" and not arg:
        return Plan(sub, error="Tell me what to look for: `/partners find &lt;name&gt;`.")
    if sub == "edit" and not arg:
        return Plan(sub, error="Tell me which partner: `/partners edit &lt;name&gt;`.")
    if sub == "report":
        current = fiscal_year_of(timezone.localdate())
        if not arg:
            # Like the admin report: the most recent fiscal year that has ended.
            return Plan(sub, fiscal_year=current - 1)
        try:
            fiscal_year = parse_fy(arg)
        except ValueError as err:
            example = " For example: `/partners report 2024-25`."
            return Plan(sub, arg, error=views.problem(str(err)) + example)
        if fiscal_year > current:
            return Plan(sub, arg, error=f"FY {fy_label(fiscal_year)} has not started yet.")
        return Plan(sub, arg, fiscal_year=fiscal_year)
    return Plan(sub, arg)
