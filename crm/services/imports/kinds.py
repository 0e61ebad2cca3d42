"""The kinds of file the import reads, each declared in its own module, in the form's order."""

from __future__ import annotations

from crm.services.imports import events, funding, grants, partners, partnerships, referrals, schools
from crm.services.imports.rows import ImportRefused, KindSpec

KINDS: dict[str, KindSpec] = {
    module.SPEC.name: module.SPEC
    for module in (partners, partnerships, funding, schools, grants, events, referrals)
}


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise ImportRefused(
            f"Unknown import kind {kind!r}; use one of {', '.join(KINDS)}."
        ) from None


def import_allowed(user, kind: str) -> bool:
    """Whether the user may import this kind at all (row scope is checked per row)."""
    if user is None:
        return True
    return bool(user.is_active and user.has_perm(kind_spec(kind).perm))


def import_kinds_for(user) -> list[KindSpec]:
    return [spec for spec in KINDS.values() if import_allowed(user, spec.name)]
