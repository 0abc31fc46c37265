"""What sources does when a claim below it changes (claims' `activity_recorded`)."""

from __future__ import annotations

from django.db import transaction

from factdesk.claims.models import Activity, Claim
from factdesk.claims.workflow import ClaimStatus
from factdesk.sources.services import citations_carry_over


def on_activity(sender: object, *, activity: Activity, **kwargs: object) -> None:
    """A claim marked as a duplicate hands its citations to the claim it duplicates."""
    if activity.action != f"status.{ClaimStatus.DUPLICATE.value}" or activity.claim_id is None:
        return
    claim = Claim.objects.select_related("duplicate_of").filter(pk=activity.claim_id).first()
    if claim is None or claim.duplicate_of is None:
        return
    with transaction.atomic():
        citations_carry_over(actor=activity.actor, claim=claim, into=claim.duplicate_of)
