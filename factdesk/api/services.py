"""The API's writes: tokens, made and revoked by their owner (audited)."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from factdesk.accounts.roles import require_role
from factdesk.api.models import ApiToken, digest_of, new_token
from factdesk.claims import audit
from factdesk.claims.workflow import RESEARCHERS
from factdesk.core.errors import DeskError
from factdesk.core.idempotency import once

NAME_MAX = 100


def api_token_create(
    *, actor: User, name: str, scope: str, idempotency_key: uuid.UUID | None = None
) -> tuple[ApiToken, str | None]:
    """A new token for `actor` and the token itself, which is never shown again (None when
    the key repeats an earlier submission: that token's value was shown then)."""
    require_role(actor, RESEARCHERS, "make an API token")
    name = name.strip()
    if not name:
        raise DeskError(
            "Name the token after what will use it, e.g. \u201cCMS import\u201d.", field="name"
        )
    if len(name) > NAME_MAX:
        raise DeskError(f"Keep the name to {NAME_MAX} characters.", field="name")
    if scope not in ApiToken.Scope.values:
        raise DeskError("Choose read only, or read and write.", field="scope")
    plain: list[str] = []

    def create() -> ApiToken:
        value = new_token()
        plain.append(value)
        token = ApiToken.objects.create(
            user=actor, name=name, scope=scope, digest=digest_of(value), shown_start=value[:7]
        )
        audit.record(
            actor=actor,
            action="api_token.created",
            target=token,
            summary=f"made the API token \u201c{name}\u201d ({token.get_scope_display().lower()})",
            changes={"name": [None, name], "scope": [None, scope]},
        )
        return token

    token = once(key=idempotency_key, user=actor, create=create)
    return token, plain[0] if plain else None


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Refuse the token from now on. Only its owner (or an admin) revokes it."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise DeskError("Only the token's owner revokes it.")
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not revoked:
            raise DeskError("This token is revoked already.")
        audit.record(
            actor=actor,
            action="api_token.revoked",
            target=token,
            summary=f"revoked the API token \u201c{token.name}\u201d",
            changes={"revoked": [False, True]},
        )
