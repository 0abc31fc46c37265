"""How the desk's API knows who is asking: `Authorization: Bearer fd_…`, a token its owner
made on their API tokens page. A revoked token, or an inactive owner's, is refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from factdesk.accounts.roles import is_desk_member
from factdesk.api.models import PREFIX, ApiToken, digest_of

USE_RECORDED_EVERY = timedelta(minutes=1)  # "last used" to the minute: no write per request


class DeskTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2 or not header[1].startswith(PREFIX):
            raise exceptions.AuthenticationFailed(
                "Send the token as \u201cAuthorization: Bearer fd_\u2026\u201d."
            )
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=digest_of(header[1]), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "This token is not valid: it was revoked or never existed. Make a new one on "
                "your API tokens page."
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword  # a 401, not a 403, when no token is sent


class DeskMember(permissions.BasePermission):
    """A desk role, and a read-and-write token to change anything."""

    message = "Your account has no role on the desk yet."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not is_desk_member(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        if isinstance(token, ApiToken) and not token.can_write:
            self.message = "This token is read only: make a read-and-write token to change things."
            return False
        return True


class DeskTokenScheme(OpenApiAuthenticationExtension):
    target_class = "factdesk.api.authentication.DeskTokenAuthentication"
    name = "deskToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made on your API tokens page (fd_\u2026).",
        }
