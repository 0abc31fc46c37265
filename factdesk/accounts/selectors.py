"""Reads for the accounts pages."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from factdesk.accounts.models import Invitation, UserSession, digest_of

TOKEN_MAX = 100  # a link's token is 43 characters; anything much longer is not one


def invitations_waiting() -> QuerySet[Invitation]:
    """Invitations whose link still works, soonest to expire first, with who sent them."""
    return Invitation.objects.open().select_related("invited_by").order_by("expires_at", "id")


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, whatever its state; None for no invitation."""
    if len(token) > TOKEN_MAX:
        return None
    return Invitation.objects.filter(digest=digest_of(token)).select_related("invited_by").first()


def sessions_of(user: User) -> QuerySet[UserSession]:
    """`user`'s sessions that have not expired, most recently used first."""
    return UserSession.objects.filter(user=user, session__expire_date__gt=timezone.now()).order_by(
        "-last_seen_at", "-created_at"
    )
