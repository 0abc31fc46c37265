"""The desk's session engine: Django's database sessions (in PostgreSQL, so logging in works
while Redis is down), read together with their `UserSession` row in the same query, so that
the idle check (middleware.py) costs no query of its own."""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.utils import timezone

from factdesk.accounts.models import UserSession


class SessionStore(db.SessionStore):
    # The row read with the session; None for a session nobody is logged in with (yet).
    desk_session: UserSession | None = None

    def _get_session_from_db(self) -> Session | None:
        # Django's own, with the join added.
        try:
            session = Session.objects.select_related("desk_session").get(
                session_key=self.session_key, expire_date__gt=timezone.now()
            )
        except (Session.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{type(error).__name__}").warning(str(error))
            self._session_key = None
            return None
        try:
            self.desk_session = session.desk_session
        except ObjectDoesNotExist:
            self.desk_session = None
        return session
