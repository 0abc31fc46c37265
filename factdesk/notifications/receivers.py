"""The signals of the apps below, turned into service calls (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from factdesk.claims.models import Activity
from factdesk.notifications import services


def on_activity(sender: object, *, activity: Activity, **kwargs: Any) -> None:
    with transaction.atomic():
        services.notify_activity(activity=activity)


def on_source_flagged(
    sender: object, *, source_id: int, change: str, marker: str, **kwargs: Any
) -> None:
    with transaction.atomic():
        services.notify_source_flagged(source_id=source_id, change=change, marker=marker)
