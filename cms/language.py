"""The reader's language on the public site: Spanish text when it was written, English otherwise,
and a flag when a Spanish reader is shown English."""

from __future__ import annotations

from django.utils.translation import get_language


def spanish() -> bool:
    return (get_language() or "en").split("-")[0] == "es"


def pick(en: str, es: str, *, reader_es: bool | None = None) -> str:
    """The Spanish text when the visitor reads Spanish and one was written, else the English.
    A caller picking for many rows passes `reader_es` (spanish()) once instead."""
    return es if (spanish() if reader_es is None else reader_es) and es else en


def english_only(en: str, es: str, *, reader_es: bool | None = None) -> bool:
    """True when a Spanish reader is shown English text because no Spanish was written: the
    page then says so ("Descripción disponible solo en inglés") and marks the text lang="en"."""
    return (spanish() if reader_es is None else reader_es) and bool(en) and not es
