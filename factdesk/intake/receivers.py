"""What intake does when a claim changes (claims' `activity_recorded`, after the commit)."""

from __future__ import annotations

from factdesk.claims.models import Activity
from factdesk.intake import google
from factdesk.intake.services import send_embed

REWORDED = {"claim.created", "claim.updated"}


def on_activity(sender: object, *, activity: Activity, **kwargs: object) -> None:
    """A claim logged or edited is embedded again (the task skips an unchanged text); a
    claim logged is searched on Google's Fact Check Tools when the desk opted in."""
    if activity.action not in REWORDED or activity.claim_id is None:
        return
    send_embed("claim", [activity.claim_id])
    if activity.action == "claim.created" and google.enabled():
        from factdesk.intake.tasks import search_google

        search_google.delay(activity.claim_id)
