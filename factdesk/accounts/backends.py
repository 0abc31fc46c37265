"""How the signed-in person is loaded on each request: Django's ModelBackend, with the names
of their groups read in the same query, so that their roles (roles.user_roles) cost none of
their own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from factdesk.accounts.roles import with_role_names


class DeskBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = with_role_names(User.objects.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
