"""Password validation beyond Django's set: no password built on the product's own name."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError

# Words an attacker tries first against this site; digits and symbols around them add little.
CONTEXT_WORDS = ("partnerbase", "password", "wagtail")


class ContextWordValidator:
    """Refuse a password that contains the site's or product's name ("Partnerbase1")."""

    def _words(self) -> list[str]:
        site = re.sub(r"[^a-z]", "", str(getattr(settings, "WAGTAIL_SITE_NAME", "")).lower())
        return [w for w in (*CONTEXT_WORDS, site) if len(w) >= 4]

    def validate(self, password: str, user=None) -> None:
        letters = re.sub(r"[^a-z]", "", password.lower())
        for word in self._words():
            if word in letters:
                raise ValidationError(
                    f"The password must not contain “{word}”.", code="password_context_word"
                )

    def get_help_text(self) -> str:
        return "Your password can’t contain the name of this site."
