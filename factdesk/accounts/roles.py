"""Roles are Django groups (created by a migration); superusers are admins and hold every role.

A role includes what the roles below it may do: editors also research, publishers also review.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from factdesk.core.queries import CompiledQuery, given


class DeskRequest(HttpRequest):
    """What views behind `role_required` receive: a logged-in user, and htmx's details."""

    user: User
    htmx: HtmxDetails


class Role(StrEnum):
    REPORTER = "reporter"
    EDITOR = "editor"
    PUBLISHER = "publisher"


DESK_ROLES = tuple(Role)


def _signed_in() -> QuerySet[User]:
    groups = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    users = User.objects.filter(pk=given("pk"), is_active=True)
    return users.annotate(role_names=ArraySubquery(groups.values("group__name")))


# Every page runs it: compiled once (1.4 ms to build and compile, 0.6 to run).
_SIGNED_IN = CompiledQuery(_signed_in)


def signed_in_user(user_id: Any) -> User | None:
    """The person a session names, with the names of their groups (`role_names`) read in
    the same query; None when there is no such active account. How every sign-in backend
    loads them on each request (backends.py, signin/sso.py)."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None  # a session naming no account (the ORM would have said no such user)
    found = _SIGNED_IN.instances(pk=pk)
    return found[0] if found else None


def user_roles(user: User | AnonymousUser) -> frozenset[Role]:
    """The roles a user holds, cached on the user object for the request (from the names
    loaded with them, when they were: `signed_in_user`)."""
    if isinstance(user, AnonymousUser) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Role)
    cached: frozenset[Role] | None = getattr(user, "_factdesk_roles", None)
    if cached is None:
        names = getattr(user, "role_names", None)
        if names is None:
            names = user.groups.values_list("name", flat=True)
        held = set(names)
        cached = frozenset(role for role in Role if role.value in held)
        user._factdesk_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: User | AnonymousUser, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def is_desk_member(user: User | AnonymousUser) -> bool:
    return bool(user_roles(user))


def role_required(*roles: Role) -> Callable:
    """View decorator: log in first, then hold one of `roles` (any desk role if none given)."""
    allowed = set(roles or DESK_ROLES)

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not user_roles(request.user) & allowed:
                if not is_desk_member(request.user):
                    raise PermissionDenied(
                        "Your account has no role on the desk yet. Ask an admin to make you "
                        "a reporter, editor or publisher."
                    )
                names = " or ".join(sorted(role.value for role in allowed))
                raise PermissionDenied(f"This needs the {names} role.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require_role(actor: User, roles: frozenset[Role], doing: str) -> None:
    """Refuse a service call by someone without one of `roles` (`doing` says what, in words)."""
    if not user_roles(actor) & roles:
        names = " or ".join(sorted(role.value for role in roles))
        raise PermissionDenied(f"Only a {names} can {doing}.")


def invitable_roles(user: User | AnonymousUser) -> tuple[Role, ...]:
    """The roles `user` may invite someone to: any for an admin, reporter for an editor or
    a publisher (who may do what editors do), none for anyone else."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return DESK_ROLES
    if user_roles(user) & {Role.EDITOR, Role.PUBLISHER}:
        return (Role.REPORTER,)
    return ()
