"""How the signed-in person is loaded on each request: Django's ModelBackend, with the names
of their groups read in the same query, so that their roles (roles.user_roles) cost none of
their own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from factdesk.accounts.roles import signed_in_user


class DeskBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        return signed_in_user(user_id)  # an inactive account is None, as in ModelBackend
