"""The hostile-string corpus through Slack: created with `/partners add`, then shown by the
confirmation, the duplicate prompt and `/partners find`; nothing unescaped reaches mrkdwn and
our admin links stay intact."""

from __future__ import annotations

import json

import pytest

from crm.models import Partner
from tests.bots.test_slack_escaping import mrkdwn_texts
from tests.bots.test_slack_partner_add import form
from tests.hostile import NAMES, assert_mrkdwn_safe


def _texts(calls) -> str:
    """The mrkdwn Slack would read in these calls (plain_text shows text literally)."""
    found = []
    for call in calls:
        params = dict(call["params"])
        if isinstance(params.get("view"), str):
            params["view"] = json.loads(params["view"])
        if isinstance(params.get("blocks"), str):
            params["blocks"] = json.loads(params["blocks"])
        found += mrkdwn_texts(params.get("view") or params)
        if isinstance(params.get("text"), str):
            found.append(params["text"])
    return "\n".join(found)


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_through_slack(world, slack, name):
    response = slack.interact(slack.submission("partner_add", form(f"new:{name}")))
    assert response.status_code == 200
    partner = Partner.objects.filter(name=" ".join(name.split())).first()
    assert partner is not None, response.json()
    confirmations = _texts(slack.stub.called("/response/modal") + slack.stub.called("views.update"))
    assert_mrkdwn_safe(confirmations, "confirmation")
    assert f"/edit/{partner.pk}/|" in confirmations
    # The same name again: the duplicate prompt shows the stored one.
    slack.stub.reset()
    slack.interact(
        slack.submission("partner_add", form(f"new:{name}"), view_id="V0AGAIN", view_hash="h2")
    )
    prompt = _texts(slack.stub.called("views.update"))
    assert "Did you mean" in prompt
    assert_mrkdwn_safe(prompt, "duplicate prompt")
    slack.stub.reset()
    ack = slack.command(f"find {name}")
    assert ack.status_code == 200
    assert_mrkdwn_safe(ack.json()["text"], "find ack")
    found = _texts(slack.stub.called("/response/command"))
    assert_mrkdwn_safe(found, "find results")
    assert f"/edit/{partner.pk}/|" in found
