"""The board's first cards: each column's, in its order, however they are read."""

import datetime
import random

import pytest
from django.utils import timezone

from factdesk.claims import selectors
from factdesk.claims.models import Claim, ClaimTopic, Topic
from factdesk.claims.selectors import ClaimFilters
from factdesk.claims.workflow import ClaimStatus, DismissReason
from tests.factories import ClaimFactory

# A column and the statuses it shows.
COLUMNS = {
    ClaimStatus.NEW: {ClaimStatus.NEW},
    ClaimStatus.RESEARCHING: {ClaimStatus.RESEARCHING},
    ClaimStatus.IN_REVIEW: {ClaimStatus.IN_REVIEW},
    ClaimStatus.APPROVED: {ClaimStatus.APPROVED},
    ClaimStatus.PUBLISHED: {ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED},
}


@pytest.mark.parametrize("at_once_below", [0, 1_000_000], ids=["by column", "all at once"])
def test_each_column_shows_its_first_cards_in_its_order(db, monkeypatch, at_once_below):
    """Urgent and oldest first; newest published first; ten a column, off-board claims
    nowhere. Read column by column (a big desk) or all at once (a few claims on the board)."""
    monkeypatch.setattr(selectors, "BOARD_AT_ONCE_BELOW", at_once_below)
    rng = random.Random(5)
    now = timezone.now()
    # Off the board, dismissed; the others' constraints ask for more than a status.
    statuses = [*COLUMNS, ClaimStatus.CORRECTED, ClaimStatus.DISMISSED]
    claims = ClaimFactory.create_batch(120)
    created, changed = rng.sample(range(100_000), 120), rng.sample(range(100_000), 120)
    for claim, created_ago, changed_ago in zip(claims, created, changed, strict=True):
        status = rng.choice(statuses)
        Claim.objects.filter(pk=claim.pk).update(
            status=status,
            dismiss_reason=DismissReason.OTHER if status == ClaimStatus.DISMISSED else "",
            priority=rng.randint(0, 3),
            created_at=now - datetime.timedelta(minutes=created_ago),
            status_changed_at=now - datetime.timedelta(minutes=changed_ago),
        )
    topic = Topic.objects.create(name="Housing")
    ClaimTopic.objects.bulk_create(ClaimTopic(claim=claim, topic=topic) for claim in claims[::3])

    for filters, matching in (
        (ClaimFilters(), Claim.objects.all()),
        (ClaimFilters(topic=topic.pk), Claim.objects.filter(pk__in=[c.pk for c in claims[::3]])),
    ):
        columns, _ = selectors.board(filters)
        assert [column.status for column in columns] == list(COLUMNS)
        for column in columns:
            mine = [claim for claim in matching if claim.status in COLUMNS[column.status]]
            if column.status == ClaimStatus.PUBLISHED:
                mine.sort(key=lambda claim: claim.status_changed_at, reverse=True)
            else:
                mine.sort(key=lambda claim: (-claim.priority, claim.created_at))
            assert len(mine) > selectors.BOARD_CARDS_PER_COLUMN or filters.topic
            assert [card.pk for card in column.cards] == [claim.pk for claim in mine[:10]]
            assert column.count == len(mine)
