"""Invitations to join the desk, and the sessions a person is logged in with.

An invitation's link carries a token the desk never keeps: only its SHA-256 is stored (the
token is 256 random bits, so a fast hash is enough), as for API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from factdesk.accounts.roles import Role


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted, revoked nor expired: the link still works."""
        return self.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())


class Invitation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=20, choices=[(role.value, role.value) for role in Role])
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One unanswered invitation per address: two admins inviting the same person at
            # once make one invitation. An expired one is closed (revoked) by the next.
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at=None, revoked_at=None),
                name="invitation_one_unanswered_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"

    @property
    def state(self) -> State:
        """Whether the link still works, and if not, why: used, then revoked before it
        expired (an expired one is also closed when the address is invited again)."""
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.revoked_at is not None and self.revoked_at < self.expires_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.OPEN


class UserSession(models.Model):
    """Who a session (a row of Django's session table) belongs to, where it came from and
    when it was last used. Deleting the session deletes this row with it."""

    session = models.OneToOneField(
        "sessions.Session",
        on_delete=models.CASCADE,
        primary_key=True,
        db_column="session_key",
        related_name="desk_session",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_sessions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"
