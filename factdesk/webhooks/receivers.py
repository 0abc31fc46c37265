"""What webhooks do when a claim changes (claims' `activity_recorded`, after the commit)."""

from __future__ import annotations

from factdesk.claims.models import Activity
from factdesk.webhooks import services


def on_activity(sender: object, *, activity: Activity, **kwargs: object) -> None:
    """A fact check published, corrected or retracted: a delivery to each subscriber."""
    if activity.action not in services.EVENT_FOR_ACTION:
        return
    for delivery in services.deliveries_for_change(activity):
        services.send(delivery)
