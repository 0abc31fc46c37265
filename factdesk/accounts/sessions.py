"""The desk's session engine: Django's database sessions (in PostgreSQL, so logging in works
while Redis is down), read with their `UserSession` row's last use in the same query (compiled
once), so that the idle check (middleware.py) costs no query of its own."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import F, QuerySet
from django.utils import timezone

from factdesk.core.queries import CompiledQuery, given


def _session() -> QuerySet[Session]:
    sessions = Session.objects.filter(session_key=given("key"), expire_date__gt=given("now"))
    return sessions.annotate(desk_last_seen=F("desk_session__last_seen_at"))


# Every page runs it: compiled once (core.queries).
_SESSION = CompiledQuery(_session)


class SessionStore(db.SessionStore):
    # When the session was last used (its UserSession row's `last_seen_at`); None for a
    # session nobody is logged in with (yet), which has no row.
    last_seen_at: datetime | None = None

    def _get_session_from_db(self) -> Session | None:
        # Django's own, with the row's last use read in the same query.
        found = _SESSION.instances(key=self.session_key, now=timezone.now())
        if not found:
            self._session_key = None
            return None
        session = found[0]
        self.last_seen_at = session.desk_last_seen
        return session
