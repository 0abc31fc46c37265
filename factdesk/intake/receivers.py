"""What intake does when a claim changes (claims' `activity_recorded`, after the commit)."""

from __future__ import annotations

from factdesk.claims.models import Activity
from factdesk.intake.services import send_embed

REWORDED = {"claim.created", "claim.updated"}


def on_activity(sender: object, *, activity: Activity, **kwargs: object) -> None:
    """A claim logged or edited is embedded again (the task skips an unchanged text)."""
    if activity.action in REWORDED and activity.claim_id is not None:
        send_embed("claim", [activity.claim_id])
