"""Services: every write to the CRM goes through a function here."""
