"""Where Django's own events meet the desk's sessions: a login is noted (so the person's
sessions can be listed), and a change of role ends that person's sessions.

Roles are changed in Django's admin (and the shell), not through a desk service: the
signal on the membership table is the one place that sees every change."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.http import HttpRequest

from factdesk.accounts import services
from factdesk.accounts.throttling import client_ip


def on_login(sender: Any, *, request: HttpRequest, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return
    services.user_session_record(
        user=user,
        session_key=session.session_key,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )


def on_groups_changed(
    sender: Any,
    *,
    instance: User | Group,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """`user.groups.add(...)` (reverse False) names one user; `group.user_set.add(...)`
    (reverse True) names the users in `pk_set`, or, when cleared, the group's members before."""
    if reverse and action == "pre_clear":
        user_ids = list(instance.user_set.values_list("pk", flat=True))  # type: ignore[union-attr]
    elif action in {"post_add", "post_remove"} and reverse:
        user_ids = list(pk_set or ())
    elif action in {"post_add", "post_remove", "post_clear"} and not reverse:
        user_ids = [instance.pk]
    else:
        return
    if user_ids:
        services.sessions_end_for_role_change(user_ids=user_ids)
