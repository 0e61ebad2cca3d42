"""The Slack bot package (one Bolt app, thin listeners over crm services)."""
