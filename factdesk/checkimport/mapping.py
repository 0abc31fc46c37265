"""What each Check status becomes on the desk. A Check status is at once where the item
stood and its verdict; on the desk those are the workflow status and the rating."""

from __future__ import annotations

from dataclasses import dataclass

from factdesk.checkimport.models import Outcome, StatusMapping
from factdesk.claims.models import Rating

# Check's core statuses (config/core_statuses.yml): id → (English label, where it goes, the
# label of the desk's default rating it means, if it is a verdict).
CORE_STATUSES: dict[str, tuple[str, Outcome, str]] = {
    "undetermined": ("Unstarted", Outcome.NEW, ""),
    "in_progress": ("In Progress", Outcome.RESEARCHING, ""),
    "not_applicable": ("Inconclusive", Outcome.RATED, "Unproven"),
    "false": ("False", Outcome.RATED, "False"),
    "verified": ("Verified", Outcome.RATED, "True"),
}


@dataclass(frozen=True)
class Mapped:
    """Where items of one Check status go: the outcome, and the rating when it is one."""

    outcome: Outcome
    rating: Rating | None
    by_default: bool  # from the core defaults, not a row a publisher saved

    def words(self) -> str:
        if self.outcome == Outcome.RATED and self.rating is not None:
            return f"rated \u201c{self.rating.label}\u201d"
        return Outcome(self.outcome).label.lower()


def status_mappings() -> dict[str, Mapped]:
    """Every Check status the desk can map now: the core defaults (where the desk's scale
    has the rating they name), overridden by the rows publishers saved."""
    ratings = {
        rating.label.casefold(): rating
        for rating in Rating.objects.filter(scale__is_default=True).order_by("position")
    }
    mapped: dict[str, Mapped] = {}
    for status, (_, outcome, label) in CORE_STATUSES.items():
        rating = ratings.get(label.casefold()) if label else None
        if label and rating is None:
            continue  # the desk renamed its scale: a publisher says what it means now
        mapped[status] = Mapped(outcome, rating, by_default=True)
    for row in StatusMapping.objects.select_related("rating"):
        mapped[row.check_status] = Mapped(Outcome(row.outcome), row.rating, by_default=False)
    return mapped


def humanised(status: str) -> str:
    """A custom status id as words ("partly_false" → "Partly false"), or a core status's
    English label."""
    if status in CORE_STATUSES:
        return CORE_STATUSES[status][0]
    return status.replace("_", " ").replace("-", " ").strip().capitalize() or status
