"""Tokens are Wagtail's APIToken (HMAC-SHA256 digest only, shown once, revocable, rotation-safe
with SECRET_KEY_FALLBACKS); this module adds the scope (expiry, read-only) and the lookup."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import APIToken

from api.models import TokenScope
from crm.roles import is_administrator

LAST_USED_EVERY = dt.timedelta(minutes=1)


def may_act_for(actor, user) -> bool:
    """People manage their own tokens and subscriptions; administrators anyone's."""
    return bool(actor and actor.is_active and (actor.pk == user.pk or is_administrator(actor)))


@transaction.atomic
def token_create(
    *,
    user,
    name: str,
    actor,
    read_only: bool = False,
    expires_at: dt.datetime | None = None,
) -> tuple[APIToken, str]:
    """Create a token for `user`; returns the row and the plaintext, which is never stored."""
    if not may_act_for(actor, user):
        raise PermissionDenied("You can only create tokens for yourself.")
    if not user.is_active:
        raise ValidationError("An inactive account cannot hold a token.")
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Say what the token is for."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    token, plaintext = APIToken.create_token(user=user, name=name[:255])
    TokenScope.objects.create(token=token, read_only=read_only, expires_at=expires_at)
    log(
        token,
        "wagtail.apitoken.create",
        user=actor,
        data={"read_only": read_only, "expires_at": expires_at and expires_at.isoformat()},
    )
    return token, plaintext


@transaction.atomic
def token_revoke(*, token: APIToken, actor) -> APIToken:
    if not may_act_for(actor, token.user):
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoke()
        log(token, "wagtail.apitoken.revoke", user=actor)
    return token


def token_lookup(raw: str) -> APIToken | None:
    """The usable token with this value, or None (malformed, unknown, revoked, expired, or
    its user inactive)."""
    if not APIToken.validate_token_format(raw):
        return None
    token = (
        APIToken.objects.select_related("user", "partnerbase_scope")
        .filter(key_hash__in=APIToken.candidate_key_hashes(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active or scope_of(token).expired():
        return None
    return token


def scope_of(token: APIToken) -> TokenScope:
    try:
        return token.partnerbase_scope
    except TokenScope.DoesNotExist:
        return TokenScope(token=token)


def token_touch(token: APIToken) -> None:
    """Note the last use at most once a minute (otherwise it is a write per request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
