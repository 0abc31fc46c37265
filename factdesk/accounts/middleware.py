from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from factdesk.accounts import services
from factdesk.accounts.throttling import client_ip

# How stale `last_seen_at` may get: the sessions page says "last used" to the minute, and a
# write per request would cost more than the page it serves.
TOUCH_EVERY = timedelta(minutes=1)


class SessionActivityMiddleware:
    """Logs out a session idle for SESSION_IDLE_MINUTES, with a message saying so, and keeps
    each session's `last_seen_at` (at most one write a minute). Placed after the auth and
    message middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # No session cookie, no session: public pages and API tokens cost nothing here.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        now = timezone.now()
        session_key = request.session.session_key
        if session_key is None:
            return
        last_seen_at = getattr(request.session, "last_seen_at", None)
        if last_seen_at is None:
            # A session from before sessions were listed, or one whose row was lost.
            services.user_session_record(
                user=request.user,  # type: ignore[arg-type]
                session_key=session_key,
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
            return
        idle = now - last_seen_at
        if idle > timedelta(minutes=settings.SESSION_IDLE_MINUTES):
            logout(request)
            messages.info(
                request,
                f"You were logged out after {_duration(idle)} without using the desk. "
                "Log in again to carry on.",
            )
        elif idle >= TOUCH_EVERY:
            services.user_session_touch(session_key=session_key, seen_at=now)


def _duration(idle: timedelta) -> str:
    minutes = int(idle.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minutes"
    hours = minutes // 60
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"
